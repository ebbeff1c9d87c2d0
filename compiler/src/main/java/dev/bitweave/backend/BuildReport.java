package dev.bitweave.backend;

import dev.bitweave.board.Board;
import dev.bitweave.pack.BuildImages;
import dev.bitweave.pack.LayerRegion;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.plan.QuantizedModel;

import java.util.Locale;

/** report.md of a build: what was generated, per-layer traffic and cycle figures, resources. */
final class BuildReport {
    private BuildReport() {
    }

    static String markdown(QuantizedModel model, Board board, BuildImages images, boolean packedLanes, String resources) {
        StringBuilder s = new StringBuilder();
        var hw = images.hardware();
        s.append("# bitweave build report\n\n");
        s.append(String.format(Locale.ROOT, "Plan `%s` (%s) for **%s** (%s), %d-bit memory bus at %.0f MHz.%n%n",
                model.plan().source(), model.plan().recipe(), board.name(), board.part(), hw.bus(), board.kernelClockMHz()));
        s.append("## Lane array\n\n");
        s.append("| stored width | lanes (codes per beat) | multiplier |\n|---|---|---|\n");
        for (int b : hw.modes()) {
            s.append(String.format(Locale.ROOT, "| %d | %d | %s |%n", b, hw.bus() / b,
                    b <= 4 ? "shift-and-add in LUTs: a DSP per 2..4-bit product would waste it"
                            : "`*`, mapped to DSP slices by synthesis (one 8x9-bit product each)"));
        }
        s.append("\nLanes active only at narrow widths are built only as wide as those widths need. ");
        if (packedLanes) {
            s.append(String.format(Locale.ROOT, "**Packed lanes** (`compile --packed-lanes`): the %d lanes of 8-bit weights share %d "
                    + "multipliers, one per pair. A code beat whose activations on those lanes fit 4 bits takes one cycle "
                    + "(two products from one 22x18-bit multiply); any other beat takes two. 8-bit activation vectors run "
                    + "up to twice the expected cycles below.%n%n", hw.bus() / 8, hw.bus() / 16));
        } else {
            s.append("One multiplier per 8-bit lane: `compile --packed-lanes` halves them for plans whose activations "
                    + "are mostly 4-bit (docs/hardware.md, \"Packed lanes\").\n\n");
        }
        s.append("## Layers\n\n");
        s.append("| tensor | shape | width | group | region bytes | roofline cycles | expected cycles |\n|---|---|---|---|---|---|---|\n");
        for (LayerRegion r : images.regions().values()) {
            LinearLayout l = r.layout();
            s.append(String.format(Locale.ROOT, "| %s | %dx%d | %d (stored %d) | %s | %d | %d | %d |%n", r.name(), l.rows(), l.cols(),
                    l.bits(), l.b(), l.log2Group() == LinearLayout.LOG2_PER_CHANNEL ? "row" : String.valueOf(1 << l.log2Group()),
                    r.size(), l.rooflineCycles(), expected(images, r.name())));
        }
        s.append("\nRoofline cycles = bits the plan stores for the tensor (codes, scales, zero points) / bus width. ");
        s.append("Expected cycles are an estimate; `./bitweave cosim` measures them.\n\n");
        s.append("## Resources\n\n").append(resources);
        return s.toString();
    }

    private static long expected(BuildImages images, String name) {
        return images.manifest().layers().stream().filter(l -> l.name().equals(name)).mapToLong(m -> m.expectedCycles()).findFirst().orElse(0);
    }
}
