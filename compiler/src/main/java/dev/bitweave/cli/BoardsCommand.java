package dev.bitweave.cli;

import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "boards", mixinStandardHelpOptions = true,
        description = "List the FPGA boards bitweave knows (boards/*.json), or show one in full.")
public final class BoardsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "a board name or a descriptor .json to show")
    String name;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() {
        var out = parent.out;
        List<Board> boards = name == null ? BoardCatalog.all() : List.of(BoardCatalog.resolve(name));
        out.printf("%-14s %-24s %-7s %6s %-8s %9s %-6s %8s %5s %5s  %s%n", "name", "part", "family", "DSPs", "type",
                "LUTs", "memory", "GB/s", "bus", "MHz", "host");
        for (Board b : boards) {
            out.printf("%-14s %-24s %-7s %6d %-8s %9d %-6s %8.1f %5d %5.0f  %s%n", b.name(), b.part(), b.family().yosysName(),
                    b.dsp().count(), b.dsp().type(), b.luts(), b.memory().kind(), b.memory().peakBandwidthBytesPerSecond() / 1e9,
                    b.busWidthBits(), b.kernelClockMHz(), b.hostInterface().jsonName());
        }
        if (name != null) {
            Board b = boards.get(0);
            out.println(b.title() + " (" + b.vendor() + ")");
            for (Board.Reference r : b.references()) out.println("  " + r.what() + ": " + r.source());
        }
        return Main.OK;
    }
}
