package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cWriterTest {
    @TempDir
    Path tmp;

    @Test
    void syntheticModelReopensEqual() throws IOException {
        SyntheticCheckpoint source = SyntheticCheckpoint.of("stories260k", 7);
        Path f = tmp.resolve("s.bin");
        long size = Llama2cWriter.write(source, f);
        assertEquals(Files.size(f), size);
        assertEquals(Llama2cCheckpoint.fileBytes(source.config()), size);
        assertReopensEqual(source, f);
    }

    @Test
    void separateClassifierRoundTrips() throws IOException {
        ModelConfig untied = new ModelConfig(32, 48, 2, 4, 2, 10, 16, 10000.0, 1e-5, false);
        SyntheticCheckpoint source = SyntheticCheckpoint.of("untied", untied, 3);
        Path f = tmp.resolve("u.bin");
        Llama2cWriter.write(source, f);
        assertReopensEqual(source, f);
    }

    @Test
    void sameSeedSameBytesDifferentSeedDifferentBytes() throws IOException {
        Path a = tmp.resolve("a.bin"), b = tmp.resolve("b.bin"), c = tmp.resolve("c.bin");
        Llama2cWriter.write(SyntheticCheckpoint.of("stories260k", 11), a);
        Llama2cWriter.write(SyntheticCheckpoint.of("stories260k", 11), b);
        Llama2cWriter.write(SyntheticCheckpoint.of("stories260k", 12), c);
        assertEquals(-1, Files.mismatch(a, b));
        assertEquals(Llama2cCheckpoint.HEADER_BYTES, Files.mismatch(a, c));
    }

    @Test
    void rewritingTheRealModelChangesOnlyTheFreqCisTables() throws IOException {
        Path f = tmp.resolve("copy.bin");
        try (Checkpoint real = CheckpointOpener.open(SharedModels.stories260kBin())) {
            Llama2cWriter.write(real, f);
        }
        byte[] original = Files.readAllBytes(SharedModels.stories260kBin());
        byte[] copy = Files.readAllBytes(f);
        assertEquals(original.length, copy.length);
        int freqCisBytes = 4 * 512 * 8; // both tables: seq_len * head_size / 2 floats each
        int freqCisStart = original.length - freqCisBytes; // shared classifier: they are the last bytes
        assertArrayEquals(Arrays.copyOf(original, freqCisStart), Arrays.copyOf(copy, freqCisStart));
        assertArrayEquals(new byte[freqCisBytes], Arrays.copyOfRange(copy, freqCisStart, copy.length));
    }

    @Test
    void theGgufModelConvertsToTheSameTensors() throws IOException {
        Path f = tmp.resolve("from-gguf.bin");
        try (Checkpoint gguf = CheckpointOpener.open(SharedModels.stories260kGguf())) {
            Llama2cWriter.write(gguf, f);
            assertReopensEqual(gguf, f);
        }
    }

    @Test
    void refusesWhatTheFormatCannotSayAndLeavesNothingBehind() throws IOException {
        ModelConfig llama3ish = new ModelConfig(32, 48, 1, 4, 2, 10, 16, 500000.0, 1e-5, true);
        Path f = tmp.resolve("x.bin");
        BadInputException e = assertThrows(BadInputException.class,
                () -> Llama2cWriter.write(SyntheticCheckpoint.of("l3", llama3ish, 1), f));
        assertTrue(e.getMessage().contains("rope theta"), e.getMessage());
        assertFalse(Files.exists(f));
        assertEquals(List.of(), listDir());
    }

    @Test
    void aFailureMidwayKeepsTheOldTargetAndRemovesTheTempFile() throws IOException {
        Path f = tmp.resolve("keep.bin");
        Files.writeString(f, "old");
        SyntheticCheckpoint good = SyntheticCheckpoint.of("stories260k", 1);
        Checkpoint failing = new Checkpoint() {
            int reads;

            public String source() { return "failing"; }
            public ModelConfig config() { return good.config(); }
            public List<TensorShape> tensors() { return good.tensors(); }
            public float[] readFloat(String name) throws IOException {
                if (++reads == 10) throw new IOException("disk on fire");
                return good.readFloat(name);
            }
            public void close() { }
        };
        assertThrows(IOException.class, () -> Llama2cWriter.write(failing, f));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.toList();
        }
    }

    private static void assertReopensEqual(Checkpoint source, Path f) throws IOException {
        try (Checkpoint back = CheckpointOpener.open(f)) {
            ModelConfig c = source.config();
            assertEquals(new ModelConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocabSize(),
                    c.seqLen(), 10000.0, 1e-5, c.tiedClassifier()), back.config());
            assertEquals(source.tensors().size(), back.tensors().size());
            for (TensorShape t : back.tensors()) {
                assertArrayEquals(GgufCheckpointTest.bits(source.readFloat(t.name())),
                        GgufCheckpointTest.bits(back.readFloat(t.name())), t.name());
            }
            assertNotEquals(null, back.file().orElse(null));
        }
    }
}
