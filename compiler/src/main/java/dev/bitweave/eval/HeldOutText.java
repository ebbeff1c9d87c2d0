package dev.bitweave.eval;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A user's held-out text for perplexity: a UTF-8 file, tokenized with BOS first. Anything a
 * tokenizer would silently mangle is refused with the file named: a missing or empty file,
 * bytes that are not UTF-8, a NUL byte (run.c's encoder stops there), fewer than 2 tokens.
 *
 * @param file   where it came from
 * @param tokens BOS, then the text's tokens
 */
public record HeldOutText(Path file, int[] tokens) {

    public static HeldOutText read(Path file, Tokenizer tokenizer) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw BadInputException.inFile(file, "is a directory, not a text file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "no such text file");
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
        if (bytes.length == 0) throw BadInputException.inFile(file, "empty text file (perplexity needs at least one token of text)");
        checkUtf8(file, bytes);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) throw BadInputException.atOffset(file, i, "NUL byte in the text (expected UTF-8 text)");
        }
        int[] tokens = tokenizer.encode(bytes, true, false);
        if (tokens.length < 2) {
            throw BadInputException.inFile(file, "gives " + tokens.length + " token(s) with BOS; perplexity needs at least 2");
        }
        return new HeldOutText(file, tokens);
    }

    private static void checkUtf8(Path file, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            d.decode(in);
        } catch (MalformedInputException e) {
            throw BadInputException.atOffset(file, in.position(), "not UTF-8 text (invalid byte sequence)");
        } catch (CharacterCodingException e) {
            throw BadInputException.inFile(file, "not UTF-8 text");
        }
    }
}
