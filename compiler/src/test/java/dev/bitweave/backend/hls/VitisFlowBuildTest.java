package dev.bitweave.backend.hls;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** compile writes the board's flow files into the build's hls/ directory, as VitisFlow renders them. */
class VitisFlowBuildTest {
    @TempDir
    Path tmp;

    @Test
    void buildCarriesTheFlowOfItsBoard() throws Exception {
        Path plan;
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            plan = new PlanQuantizer(RecipeReader.resolve("w8a8"), p -> { }).quantize(ck, tmp.resolve("plan"), false);
        }
        Board board = BoardCatalog.byName("kria-kv260");
        Path build = new BuildCompiler(new PrintStream(OutputStream.nullOutputStream()), false)
                .compile(plan, board, tmp.resolve("build"), false).dir();
        for (var e : VitisFlow.filesFor(board).entrySet()) {
            assertEquals(e.getValue(), Files.readString(build.resolve(VitisFlow.BUILD_DIR).resolve(e.getKey())), e.getKey());
        }
    }
}
