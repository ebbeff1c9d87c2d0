package dev.bitweave.cli;

import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged checkpoints, fed to both commands that read them: `quantize` and `run` (float backend)
 * must exit 2 with one line that names the file and what is wrong, and quantize must leave no
 * plan and no temp directory behind. Each damaged file is a copy of the real model, cut or
 * patched at one spot, so the message is about that spot and nothing else.
 */
class BadCheckpointCliTest {
    @TempDir
    Path tmp;

    @Test
    void binCutInsideTheHeader() throws IOException {
        Path f = write("cut-header.bin", Arrays.copyOf(bin(), 20));
        refused(f, "at offset 20", "shorter than the 28-byte llama2.c header");
    }

    @Test
    void binCutInsideATensor() throws IOException {
        Path f = write("cut-tensor.bin", Arrays.copyOf(bin(), 500_000));
        // the message says which tensor the cut falls in, so a user can tell a short download from a wrong file
        refused(f, "truncated", "1056540 bytes", "has 500000", "tensor blk.2.ffn_gate");
    }

    @Test
    void binWithNegativeDimensions() throws IOException {
        byte[] b = bin();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -64);
        refused(write("negative-dim.bin", b), "at offset 0", "dim is -64");
    }

    @Test
    void ggufCutInsideTensorData() throws IOException {
        Path f = write("cut-data.gguf", Arrays.copyOf(gguf(), 600_000));
        refused(f, "truncated", "blk.1.ffn_up.weight");
    }

    @Test
    void ggufCutInsideMetadata() throws IOException {
        Path f = write("cut-meta.gguf", Arrays.copyOf(gguf(), 3000));
        refused(f, "truncated", "tokenizer.ggml.tokens");
    }

    @Test
    void ggufWithBadMagic() throws IOException {
        byte[] g = gguf();
        g[3] = 'X';
        refused(write("bad-magic.gguf", g), "at offset 0", "bad GGUF magic", "47 47 55 58", "\"GGUF\"");
    }

    @Test
    void missingCheckpoint() throws IOException {
        refused(tmp.resolve("no-such-model.bin"), "no such file");
    }

    /** Fails only when the quantizer reaches the tensor: the plan's temp directory exists by then and must go. */
    @Test
    void nanWeightFailsMidQuantizeWithoutLeavingATempDirectory() throws IOException {
        byte[] b = bin();
        // element 0 of blk.0.ffn_down (llama2.c order: after embeddings, norms, attention, w1)
        int at = 28 + 4 * (512 * 64 + 5 * 64 + 5 * 64 * 64 + 2 * 5 * 64 * 32 + 5 * 64 * 64 + 5 * 64 + 5 * 172 * 64);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        Path f = write("nan.bin", b);
        Path out = tmp.resolve("plans").resolve("nan-plan");
        Files.createDirectories(out.getParent());

        Cli.Result r = Cli.run("quantize", f, "--recipe", "w8a8", "-o", out);
        assertEquals(Main.BAD_INPUT, r.code(), r::describe);
        // stderr also carries the progress lines printed before the bad tensor was reached
        List<String> lines = r.stderr().lines().toList();
        lines.subList(0, lines.size() - 1).forEach(l -> assertTrue(l.startsWith("quantize "), () -> "unexpected: " + l + "\n" + r.describe()));
        String msg = Cli.singleErrorLine(r, lines.subList(lines.size() - 1, lines.size()));
        Cli.assertMentions(msg, f, "tensor blk.0.ffn_down row 0 column 0 is NaN");
        Cli.assertNoOutputLeft(out);
        try (var s = Files.list(out.getParent())) {
            assertEquals(List.of(), s.toList(), "nothing may remain beside the refused plan");
        }

        Cli.assertMentions(Cli.badInput("run", f, "--tokenizer", SharedModels.tok512(), "-n", 2), f, "is NaN");
    }

    /** Both readers of checkpoints refuse it with the same kind of message. */
    private void refused(Path checkpoint, String... fragments) throws IOException {
        Path out = tmp.resolve("plan-of-" + checkpoint.getFileName());
        String q = Cli.badInput("quantize", checkpoint, "--recipe", "w8a8", "-o", out);
        Cli.assertMentions(q, checkpoint + ": ");
        Cli.assertMentions(q, (Object[]) fragments);
        Cli.assertNoOutputLeft(out);

        String r = Cli.badInput("run", checkpoint, "--tokenizer", SharedModels.tok512(), "-n", 2);
        Cli.assertMentions(r, checkpoint + ": ");
        Cli.assertMentions(r, (Object[]) fragments);
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    private static byte[] bin() throws IOException {
        return Files.readAllBytes(SharedModels.stories260kBin());
    }

    private static byte[] gguf() throws IOException {
        return Files.readAllBytes(SharedModels.stories260kGguf());
    }
}
