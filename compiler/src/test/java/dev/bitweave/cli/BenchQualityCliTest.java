package dev.bitweave.cli;

import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bench quality`: a markdown table, a perplexity column with --text, and its bad inputs. */
class BenchQualityCliTest {
    @TempDir
    Path tmp;

    @Test
    void tableWithPerplexity() throws IOException {
        Path text = Files.writeString(tmp.resolve("story.txt"), EvalTextCliTest.STORY);
        Cli.Result r = Cli.ok("bench", "quality", "--model", SharedModels.stories260kBin(), "--tokenizer", SharedModels.tok512(),
                "--methods", "w8a8", "-n", 4, "--text", text, "--work", tmp.resolve("work"));
        List<String> table = r.outLines().stream().filter(l -> l.startsWith("|")).toList();
        assertEquals(3, table.size(), r::describe);
        assertTrue(table.get(0).endsWith("| top-1 agreement | mean KL (nats) | perplexity |"), r::describe);
        assertTrue(table.get(2).startsWith("| RTN | 8 | w8a8 | 8.2167 | "), r::describe);
        assertTrue(r.out().contains("perplexity on " + text), r::describe);
    }

    @Test
    void unknownMethod() {
        Cli.assertMentions(Cli.badInput("bench", "quality", "--model", SharedModels.stories260kBin(), "--methods", "w5a8",
                "--work", tmp.resolve("work")), "--methods: unknown method 'w5a8'", "mixed-2.5");
    }

    @Test
    void missingModel() {
        Cli.assertMentions(Cli.badInput("bench", "quality"), "bench quality needs --model");
    }

    @Test
    void textWithoutATokenizer() throws IOException {
        // stories260K.bin carries no vocabulary
        Path text = Files.writeString(tmp.resolve("story.txt"), "Once upon a time.");
        Cli.assertMentions(Cli.badInput("bench", "quality", "--model", SharedModels.stories260kBin(), "--text", text, "--methods", "w8a8",
                "--work", tmp.resolve("work")), "missing tokenizer", "--tokenizer");
    }
}
