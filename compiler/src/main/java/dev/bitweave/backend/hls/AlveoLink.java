package dev.bitweave.backend.hls;

import dev.bitweave.backend.rtl.VerilogIdentifier;
import dev.bitweave.board.Board;
import dev.bitweave.runtime.BadInputException;

import java.util.List;
import java.util.Locale;

/**
 * What v++ needs to compile the kernel for an Alveo shell and link it into an xclbin.
 *
 * @param platform    the Vitis platform of the board descriptor
 * @param computeUnit the one instance of the kernel (nk=)
 * @param memoryBank  the bank every m_axi port maps to (sp=)
 * @param clock       the kernel clock
 */
public record AlveoLink(String platform, String computeUnit, String memoryBank, KernelClock clock) {

    /**
     * One pseudo-channel on HBM cards, one DDR bank on DDR cards, for all three ports: the host
     * drivers (docs/board-abi.md) allocate board memory as one buffer object in one bank, and every
     * address the kernel issues (program, weights, KV cache, activations) is an offset in it.
     */
    /** @throws BadInputException when the board's memory is neither HBM nor DDR */
    public static AlveoLink forBoard(Board board) {
        String kind = board.memory().kind().toUpperCase(Locale.ROOT);
        String bank;
        if (kind.startsWith("HBM")) {
            bank = "HBM[0]";
        } else if (kind.startsWith("DDR")) {
            bank = "DDR[0]";
        } else {
            throw new BadInputException("board " + board.name() + ": $.memory.kind: no v++ memory bank for "
                    + board.memory().kind() + " on an xrt board; expected HBM2 or DDR4 (HBM* or DDR*)");
        }
        return new AlveoLink(TclWord.require("platform of board " + board.name(), board.platform()),
                VerilogIdentifier.require("compute unit", HlsKernel.TOP + "_1"), bank, new KernelClock(board.kernelClockMHz()));
    }

    /** The sp= lines' ports, in kernel argument order. */
    public List<MemoryPort> ports() {
        return HlsKernel.MEMORY_PORTS;
    }
}
