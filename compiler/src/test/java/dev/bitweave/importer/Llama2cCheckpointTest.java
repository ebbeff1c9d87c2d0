package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cCheckpointTest {
    static final ModelConfig STORIES_260K = new ModelConfig(64, 172, 5, 8, 4, 512, 512, 10000.0, 1e-5, true);

    @TempDir
    Path tmp;

    @Test
    void readsTheConfigOfTheRealModel() throws IOException {
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(SharedModels.stories260kBin())) {
            assertEquals(STORIES_260K, c.config());
            assertEquals(TensorName.all(STORIES_260K), c.tensors());
            assertEquals(Files.size(SharedModels.stories260kBin()), Llama2cCheckpoint.fileBytes(c.config()));
        }
    }

    @Test
    void readsTensorsAtTheirOffsets() throws IOException {
        byte[] raw = Files.readAllBytes(SharedModels.stories260kBin());
        ByteBuffer all = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(SharedModels.stories260kBin())) {
            long at = Llama2cCheckpoint.HEADER_BYTES;
            for (TensorShape t : c.tensors()) {
                float[] got = c.readFloat(t.name());
                assertEquals(t.elements(), got.length, t.name());
                for (int i = 0; i < got.length; i += 37) {
                    assertEquals(all.getFloat((int) (at + 4L * i)), got[i], t.name() + "[" + i + "]");
                }
                at += 4 * t.elements();
            }
            // RMSNorm gains of a trained model are positive and O(1): a cheap check that offsets are right.
            float[] norm = c.readFloat(TensorName.OUTPUT_NORM);
            assertTrue(Arrays.stream(toDoubles(norm)).allMatch(v -> v > 0 && v < 50), Arrays.toString(norm));
        }
    }

    @Test
    void unknownTensorNameIsAnArgumentError() throws IOException {
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(SharedModels.stories260kBin())) {
            assertThrows(IllegalArgumentException.class, () -> c.readFloat(TensorName.OUTPUT));
        }
    }

    @Test
    void truncatedFilesNameTheFileOffsetAndTensor() throws IOException {
        byte[] raw = Files.readAllBytes(SharedModels.stories260kBin());
        long[] cuts = {0, 3, 27, 28, 29, 28 + 512 * 64 * 4 + 10, raw.length / 2, raw.length - 4 * 4096 - 1, raw.length - 1};
        for (long cut : cuts) {
            Path f = write("cut" + cut + ".bin", Arrays.copyOf(raw, (int) cut));
            BadInputException e = assertThrows(BadInputException.class, () -> Llama2cCheckpoint.open(f), "cut " + cut);
            String m = e.getMessage();
            assertTrue(m.startsWith(f.toString() + ": at offset " + cut + ": "), m);
            if (cut < 28) {
                assertTrue(m.contains("shorter than the 28-byte llama2.c header"), m);
            } else {
                assertTrue(m.contains("truncated") && m.contains("needs exactly " + raw.length + " bytes"), m);
                assertTrue(m.contains("would be cut"), m);
            }
        }
        Path inEmbedding = write("emb.bin", Arrays.copyOf(raw, 28 + 100));
        assertMessage(inEmbedding, "tensor token_embd [512x64] (bytes 28..131100) would be cut");
        Path inFreqCis = write("freq.bin", Arrays.copyOf(raw, raw.length - 10));
        assertMessage(inFreqCis, "the freq_cis tables");
    }

    @Test
    void extraBytesAreRejected() throws IOException {
        byte[] raw = Files.readAllBytes(SharedModels.stories260kBin());
        Path f = write("long.bin", Arrays.copyOf(raw, raw.length + 7));
        String m = assertMessage(f, "7 bytes after the last tensor");
        assertTrue(m.contains("at offset " + raw.length), m);
    }

    @Test
    void aSharedClassifierFlagThatDisagreesWithTheSizeGetsAHint() throws IOException {
        byte[] raw = Files.readAllBytes(SharedModels.stories260kBin());
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(20, -512);
        assertMessage(write("neg.bin", raw), "should vocab_size be positive");
        byte[] longer = Arrays.copyOf(Files.readAllBytes(SharedModels.stories260kBin()), raw.length + 512 * 64 * 4);
        assertMessage(write("pos.bin", longer), "should vocab_size be negative");
    }

    @Test
    void nonsenseHeadersAreRejected() throws IOException {
        assertHeader(new int[]{0, 172, 5, 8, 4, 512, 512}, "at offset 0: dim is 0");
        assertHeader(new int[]{64, -1, 5, 8, 4, 512, 512}, "at offset 4: hidden_dim is -1");
        assertHeader(new int[]{64, 172, 5, 8, 4, 0, 512}, "at offset 20: vocab_size is 0");
        assertHeader(new int[]{64, 172, 5, 8, 4, 512, 1 << 30}, "at offset 24: seq_len is 1073741824");
        assertHeader(new int[]{64, 172, 5, 7, 7, 512, 512}, "dim 64 is not a multiple of n_heads 7");
        assertHeader(new int[]{64, 172, 5, 8, 3, 512, 512}, "n_heads 8 is not a multiple of n_kv_heads 3");
        assertHeader(new int[]{64, 172, 5, 64, 64, 512, 512}, "head size 1 must be even");
        assertHeader(new int[]{1 << 16, 1 << 18, 5, 8, 8, 512, 512}, "more than one array can hold");
        assertHeader(new int[]{0x616b3432, 1, 0, 0, 0, 0, 0}, "magic \"ak42\"");
        assertHeader(new int[]{Integer.MIN_VALUE, 0, 0, 0, 0, Integer.MIN_VALUE, 0}, "dim is -2147483648");
    }

    @Test
    void directoriesAndMissingFilesAreIoErrorsHere() {
        // CheckpointOpener turns these into BadInputException; the format reader just opens.
        assertThrows(IOException.class, () -> Llama2cCheckpoint.open(tmp.resolve("nope.bin")));
    }

    private void assertHeader(int[] header, String expected) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + 64).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : header) b.putInt(v);
        Path f = write("h" + Arrays.hashCode(header) + ".bin", b.array());
        assertMessage(f, expected);
    }

    private String assertMessage(Path f, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> Llama2cCheckpoint.open(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": at offset "), m);
        assertTrue(m.contains(expected), "expected '" + expected + "' in: " + m);
        return m;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
