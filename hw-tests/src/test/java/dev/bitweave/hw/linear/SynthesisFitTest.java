package dev.bitweave.hw.linear;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.importer.SyntheticCheckpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compile runs Yosys for the board's family and refuses what does not fit: the generated RTL
 * synthesizes for 7-series (PYNQ-Z2) and fits, and for iCE40 the fit check names the resource
 * and by how much it is over. The two syntheses (about ten minutes each from an empty cache, one
 * core each) run at the same time.
 */
@Execution(ExecutionMode.CONCURRENT)
class SynthesisFitTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path tmp;

    @Test
    void stories260kFitsPynqZ2() throws Exception {
        Path plan;
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            plan = new PlanQuantizer(RecipeReader.resolve("w8a8"), p -> { }).quantize(ck, tmp.resolve("plan"), false);
        }
        var r = new BuildCompiler(QUIET, true).compile(plan, BoardCatalog.byName("pynq-z2"), tmp.resolve("build"), false);
        var usage = r.synthesis().orElseThrow().usage();
        assertTrue(usage.luts() > 1000 && usage.luts() < 53_200, "LUTs " + usage.luts());
        assertTrue(usage.dsps() > 0, "8-bit products and the requantizer use DSP48E1 slices");
        String report = Files.readString(r.dir().resolve("report.md"));
        assertTrue(report.contains("| LUTs |"), report);
        assertTrue(Files.readString(r.dir().resolve("resources.svg")).contains("<svg"));
    }

    @Test
    void iCE40RefusesWhatDoesNotFitAndSaysByHowMuch() throws Exception {
        ModelConfig tiny = new ModelConfig(32, 64, 1, 2, 2, 64, 32, 10000, 1e-5, true);
        Path plan;
        try (Checkpoint ck = SyntheticCheckpoint.of("tiny", tiny, 1)) {
            plan = new PlanQuantizer(RecipeReader.resolve("w8a8"), p -> { }).quantize(ck, tmp.resolve("plan"), false);
        }
        Path out = tmp.resolve("build");
        var e = assertThrows(BadInputException.class,
                () -> new BuildCompiler(QUIET, true).compile(plan, BoardCatalog.byName("ice40-up5k"), out, false));
        assertTrue(e.getMessage().matches("design does not fit ice40-up5k: .*DSPs \\d+ > 8 \\(\\+\\d+\\.\\d%\\).*"), e.getMessage());
        assertFalse(Files.exists(out), "a refused build leaves nothing behind");
    }
}
