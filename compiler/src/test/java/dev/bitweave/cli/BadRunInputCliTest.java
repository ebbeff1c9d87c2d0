package dev.bitweave.cli;

import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Flags and side inputs of `run` (and `boards`) that are wrong: exit 2, one line naming the flag,
 * value or file and what is expected. Most are refused before any model is loaded.
 */
class BadRunInputCliTest {
    @TempDir
    Path tmp;

    @Test
    void llama2cCheckpointWithoutTokenizer() {
        // a llama2.c .bin has no vocabulary: the message says which model and which flag supplies one
        String msg = Cli.badInput("run", SharedModels.stories260kBin(), "-n", 5);
        Cli.assertMentions(msg, "missing tokenizer", SharedModels.stories260kBin(), "--tokenizer");
    }

    @Test
    void truncatedTokenizer() throws IOException {
        Path tok = Files.write(tmp.resolve("tok512-cut.bin"), Arrays.copyOf(Files.readAllBytes(SharedModels.tok512()), 3000));
        String msg = Cli.badInput("run", SharedModels.stories260kBin(), "--tokenizer", tok, "-n", 5);
        Cli.assertMentions(msg, tok + ": at offset ", "truncated in token 214");
    }

    @Test
    void missingTokenizerFile() {
        Path tok = tmp.resolve("absent-tokenizer.bin");
        Cli.assertMentions(Cli.badInput("run", SharedModels.stories260kBin(), "--tokenizer", tok, "-n", 5),
                tok + ": no such tokenizer file");
    }

    @Test
    void promptLongerThanSeqLen() {
        // stories260K.bin has seq_len 512 (the GGUF says 2048); this prompt is ~800 tokens
        String prompt = "Once upon a time ".repeat(200);
        String msg = Cli.badInput("run", SharedModels.stories260kBin(), "--tokenizer", SharedModels.tok512(), "-n", 5, "-i", prompt);
        Cli.assertMentions(msg, "prompt is ", "seq_len is 512");
    }

    @Test
    void zeroSteps() {
        Cli.assertMentions(Cli.badInput("run", SharedModels.stories260kGguf(), "-n", 0), "-n 0: must be at least 1");
    }

    @Test
    void topPAboveOne() {
        Cli.assertMentions(Cli.badInput("run", SharedModels.stories260kGguf(), "-p", 2), "-p 2", "[0, 1]");
    }

    @Test
    void negativeTemperature() {
        Cli.assertMentions(Cli.badInput("run", SharedModels.stories260kGguf(), "-t", -1), "-t -1", ">= 0");
    }

    @Test
    void unknownBackend() {
        Cli.assertMentions(Cli.badInput("run", SharedModels.stories260kGguf(), "--backend", "gpu"),
                "unknown backend 'gpu'", "float, reference or sim");
    }

    /** A plan holds integer codes only; the float backend needs the fp32 checkpoint it came from. */
    @Test
    void planOnTheFloatBackend() {
        Path plan = tmp.resolve("plan");
        Cli.ok("quantize", SharedModels.stories260kGguf(), "--recipe", "w8a8", "-o", plan);
        Cli.assertMentions(Cli.badInput("run", plan, "--backend", "float", "-n", 2), plan + ": is a quantized plan", "--backend reference");
    }

    @Test
    void unknownBoardListsTheBoards() {
        String msg = Cli.badInput("boards", "nope");
        Cli.assertMentions(msg, "'nope'");
        // the catalog is read from boards/*.json; every one of them must be offered
        assertFalse(BoardCatalog.all().isEmpty(), "no boards in the catalog");
        for (Board b : BoardCatalog.all()) Cli.assertMentions(msg, b.name());
    }
}
