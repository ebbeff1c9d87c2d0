package dev.bitweave.cli;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.runtime.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a plan for a board: Verilog (rtl/), Vitis-HLS C++ with a C test bench (hls/), weights.img, program.img, manifest.json,",
                "report.md and resources.svg, written atomically. Yosys synthesis checks that the design fits."})
public final class CompileCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN_DIR", description = "plan directory (./bitweave quantize)")
    Path plan;

    @Option(names = "--board", required = true, paramLabel = "NAME|FILE", description = "board name (./bitweave boards) or descriptor .json")
    String board;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "BUILD_DIR", description = "build directory to create")
    Path output;

    @Option(names = "--force", description = "replace BUILD_DIR if it exists")
    boolean force;

    @Option(names = "--no-synth", description = "skip Yosys synthesis (faster; resources and fit are then unchecked)")
    boolean noSynth;

    @Option(names = "--packed-lanes", description = "share one multiplier between two 8-bit lanes: beats whose activations fit 4 bits "
            + "take one cycle, others two (for plans whose activations are mostly 4-bit, such as w8a4 and ada-w8a8; docs/hardware.md)")
    boolean packedLanes;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        Board b = BoardCatalog.resolve(board);
        if (!Files.isDirectory(plan)) throw BadInputException.inFile(plan, "plan directory not found");
        long t0 = System.nanoTime();
        var r = new BuildCompiler(parent.err, !noSynth).withPackedLanes(packedLanes).compile(plan, b, output, force);
        parent.out.printf("wrote %s for %s: %d linear layers, weights.img %d bytes%s (%.1f s)%n", r.dir(), b.name(),
                r.images().regions().size(), r.images().weights().length,
                r.synthesis().map(s -> String.format(", %d LUTs, %d FFs, %d DSPs", s.usage().luts(), s.usage().ffs(), s.usage().dsps()))
                        .orElse(", not synthesized"), (System.nanoTime() - t0) / 1e9);
        return Main.OK;
    }
}
