package dev.bitweave.importer;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointOpenerTest {
    @TempDir
    Path tmp;

    @Test
    void detectsTheFormatByContentNotName() throws IOException {
        try (Checkpoint c = CheckpointOpener.open(SharedModels.stories260kBin())) {
            assertInstanceOf(Llama2cCheckpoint.class, c);
        }
        Path renamed = Files.copy(SharedModels.stories260kGguf(), tmp.resolve("model.bin"));
        try (Checkpoint c = CheckpointOpener.open(renamed)) {
            assertInstanceOf(GgufCheckpoint.class, c);
            assertEquals(renamed.toString(), c.source());
        }
    }

    @Test
    void syntheticSpecs() throws IOException {
        try (Checkpoint c = CheckpointOpener.open("synthetic:stories15m:5")) {
            assertEquals("synthetic:stories15m", c.source());
            assertEquals(5, ((SyntheticCheckpoint) c).seed());
        }
        assertThrows(BadInputException.class, () -> CheckpointOpener.open("synthetic:nope"));
        assertThrows(BadInputException.class, () -> CheckpointOpener.open("synthetic:stories15m:x"));
    }

    @Test
    void missingFilesDirectoriesAndOtherFormats() throws IOException {
        Path missing = tmp.resolve("missing.gguf");
        assertMessage(missing, missing + ": no such file");
        assertMessage(tmp, tmp + ": is a directory");
        Path st = Files.write(tmp.resolve("m.safetensors"), new byte[]{2, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertMessage(st, st + ": at offset 0: this looks like a safetensors file");
        Path empty = Files.write(tmp.resolve("empty.bin"), new byte[0]);
        assertMessage(empty, empty + ": at offset 0: file is 0 bytes, shorter than the 28-byte llama2.c header");
        byte[] gguf = Files.readAllBytes(SharedModels.stories260kGguf());
        gguf[3] = 'X';
        Path badMagic = Files.write(tmp.resolve("bad.gguf"), gguf);
        assertMessage(badMagic, badMagic + ": at offset 0: bad GGUF magic 47 47 55 58, expected 47 47 55 46");
    }

    private static void assertMessage(Path f, String prefix) {
        BadInputException e = assertThrows(BadInputException.class, () -> CheckpointOpener.open(f));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
