package dev.bitweave.runtime.text;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerFileTest {
    private static final Path TOK512 = Path.of(System.getProperty("bitweave.shared", "../../shared"), "models/tok512.bin");

    @TempDir
    Path dir;

    @Test
    void readsTheRealVocabulary() {
        Vocabulary v = TokenizerFile.read(TOK512, 512);
        assertEquals(512, v.size());
        assertEquals(7, v.maxTokenLength());
        assertEquals("<0x00>", new String(v.pieces().get(3), StandardCharsets.UTF_8));
        assertEquals(" Once", new String(v.pieces().get(403), StandardCharsets.UTF_8));
        assertEquals(-144.0f, v.scores()[403]);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.bin");
        BadInputException e = assertThrows(BadInputException.class, () -> TokenizerFile.read(missing, 512));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such"), e.getMessage());
    }

    @Test
    void fewerTokensThanTheVocabSizeSaysHowMany() {
        String m = assertThrows(BadInputException.class, () -> TokenizerFile.read(TOK512, 600)).getMessage();
        assertEquals(TOK512 + ": at offset 6227: file ends after 512 tokens, expected 600 (the model's vocab_size)", m);
    }

    @Test
    void truncatedHeader() throws IOException {
        Path f = write(new byte[] {7, 0});
        assertEquals(f + ": at offset 0: truncated: expected an int32 max_token_length, the file has 2 bytes",
                assertThrows(BadInputException.class, () -> TokenizerFile.read(f, 1)).getMessage());
    }

    @Test
    void truncatedInsideATokenGivesTheTokenAndOffset() throws IOException {
        byte[] real = Files.readAllBytes(TOK512);
        // token 0 "<unk>" spans offsets 4..16, token 1 starts at 17
        Path cutInHeader = write(Arrays.copyOf(real, 17 + 5));
        assertEquals(cutInHeader + ": at offset 17: truncated in token 1: expected a float32 score and an int32 length (8 bytes), 5 bytes left",
                assertThrows(BadInputException.class, () -> TokenizerFile.read(cutInHeader, 512)).getMessage());
        Path cutInText = write(Arrays.copyOf(real, 17 + 8 + 2));
        assertEquals(cutInText + ": at offset 25: truncated in token 1: expected 5 bytes of text, 2 bytes left",
                assertThrows(BadInputException.class, () -> TokenizerFile.read(cutInText, 512)).getMessage());
    }

    @Test
    void negativeOrOverlongLengthsAreRejected() throws IOException {
        Path negative = write(file(4, 0.5f, -3));
        assertEquals(negative + ": at offset 8: token 0 has negative length -3",
                assertThrows(BadInputException.class, () -> TokenizerFile.read(negative, 1)).getMessage());
        Path huge = write(file(4, 0.5f, 1_000_000));
        assertEquals(huge + ": at offset 8: token 0 has length 1000000, expected at most max_token_length 4",
                assertThrows(BadInputException.class, () -> TokenizerFile.read(huge, 1)).getMessage());
    }

    @Test
    void nonPositiveMaxTokenLengthIsRejected() throws IOException {
        Path f = write(file(0, 0f, 0));
        assertEquals(f + ": at offset 0: max_token_length is 0, expected a positive value",
                assertThrows(BadInputException.class, () -> TokenizerFile.read(f, 1)).getMessage());
    }

    private static byte[] file(int maxTokenLength, float score, int len) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(maxTokenLength).putFloat(score).putInt(len).array();
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "tok", ".bin");
        Files.write(f, bytes);
        return f;
    }
}
