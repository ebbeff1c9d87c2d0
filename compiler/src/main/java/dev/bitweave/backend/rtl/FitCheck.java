package dev.bitweave.backend.rtl;

import dev.bitweave.board.Board;
import dev.bitweave.runtime.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A design's resource usage against one board's budget.
 *
 * <p>The budget is the whole device as the board descriptor counts it. An Alveo shell or a
 * Zynq PL wrapper takes part of that fabric, so a design near 100% may still not place; the
 * check catches what cannot fit at all, and the report shows how close the rest comes.
 *
 * @param usage the synthesized design
 * @param board the board it should fit
 */
public record FitCheck(ResourceUsage usage, Board board) {

    public static FitCheck of(ResourceUsage usage, Board board) {
        return new FitCheck(usage, board);
    }

    /**
     * One row per budgeted resource: LUTs, FFs, DSPs and block RAM always; UltraRAM when the
     * board has some or the design uses some; SPRAM only when the design uses some, against a
     * budget of 0 because the boards' SPRAM is their weight memory (boards/README.md).
     */
    public List<Utilization> utilization() {
        List<Utilization> rows = new ArrayList<>();
        rows.add(new Utilization("LUTs", usage.luts(), board.luts()));
        rows.add(new Utilization("FFs", usage.ffs(), board.ffs()));
        rows.add(new Utilization("DSPs", usage.dsps(), board.dsp().count()));
        rows.add(new Utilization("BRAM bits", usage.bramBits(), board.bramBits()));
        if (board.uramBits() > 0 || usage.uramBits() > 0) {
            rows.add(new Utilization("URAM bits", usage.uramBits(), board.uramBits()));
        }
        if (usage.spramBits() > 0) {
            rows.add(new Utilization("SPRAM bits", usage.spramBits(), 0));
        }
        return rows;
    }

    public List<Utilization> overflows() {
        return utilization().stream().filter(u -> !u.fits()).toList();
    }

    public boolean fits() {
        return overflows().isEmpty();
    }

    /**
     * @throws BadInputException like "design does not fit kria-kv260: LUTs 140,213 > 117,120 (+19.7%);
     *                           DSPs 1,300 > 1,248 (+4.2%)", naming every resource over budget
     */
    public void requireFits() {
        List<Utilization> over = overflows();
        if (over.isEmpty()) return;
        throw new BadInputException("design does not fit " + board.name() + ": "
                + over.stream().map(Utilization::overflowText).collect(Collectors.joining("; ")));
    }
}
