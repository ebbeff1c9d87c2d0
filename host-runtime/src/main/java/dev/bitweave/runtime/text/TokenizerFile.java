package dev.bitweave.runtime.text;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads llama2.c's {@code tokenizer.bin}: little-endian int32 max_token_length, then for each
 * token a float32 merge score, an int32 byte length and that many bytes.
 *
 * <p>run.c trusts this file blindly (a wrong length overruns its merge buffer); here every
 * field is checked and a problem is reported with the file, byte offset and token index.
 */
public final class TokenizerFile {
    private static final int HEADER_BYTES = 4;
    private static final int TOKEN_HEADER_BYTES = 8;

    private TokenizerFile() {
    }

    /**
     * Reads the first {@code vocabSize} tokens (the model's vocab_size, as run.c does; bytes
     * after them are ignored).
     */
    public static Vocabulary read(Path file, int vocabSize) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabSize must be positive, got " + vocabSize);
        }
        ByteBuffer in = ByteBuffer.wrap(readAll(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < HEADER_BYTES) {
            throw BadInputException.atOffset(file, 0, "truncated: expected an int32 max_token_length, the file has "
                    + in.remaining() + " bytes");
        }
        int maxTokenLength = in.getInt();
        if (maxTokenLength <= 0) {
            throw BadInputException.atOffset(file, 0, "max_token_length is " + maxTokenLength + ", expected a positive value");
        }
        List<byte[]> pieces = new ArrayList<>(vocabSize);
        float[] scores = new float[vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            int at = in.position();
            if (in.remaining() == 0) {
                throw BadInputException.atOffset(file, at, "file ends after " + i + " tokens, expected " + vocabSize
                        + " (the model's vocab_size)");
            }
            if (in.remaining() < TOKEN_HEADER_BYTES) {
                throw BadInputException.atOffset(file, at, "truncated in token " + i + ": expected a float32 score and an int32 length (8 bytes), "
                        + in.remaining() + " bytes left");
            }
            scores[i] = in.getFloat();
            int len = in.getInt();
            if (len < 0) {
                throw BadInputException.atOffset(file, at + 4, "token " + i + " has negative length " + len);
            }
            if (len > maxTokenLength) {
                throw BadInputException.atOffset(file, at + 4, "token " + i + " has length " + len
                        + ", expected at most max_token_length " + maxTokenLength);
            }
            if (in.remaining() < len) {
                throw BadInputException.atOffset(file, in.position(), "truncated in token " + i + ": expected " + len
                        + " bytes of text, " + in.remaining() + " bytes left");
            }
            byte[] piece = new byte[len];
            in.get(piece);
            pieces.add(piece);
        }
        return new Vocabulary(pieces, scores, maxTokenLength);
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "no such tokenizer file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read tokenizer file: " + e.getMessage(), e);
        }
    }

    /** Writes a vocabulary in the same format (atomically: temp file, then rename). */
    public static void write(Vocabulary v, Path file) throws IOException {
        int size = HEADER_BYTES;
        for (byte[] p : v.pieces()) size += TOKEN_HEADER_BYTES + p.length;
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(v.maxTokenLength());
        for (int i = 0; i < v.size(); i++) {
            out.putFloat(v.scores()[i]);
            out.putInt(v.pieces().get(i).length);
            out.put(v.pieces().get(i));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out.array());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
