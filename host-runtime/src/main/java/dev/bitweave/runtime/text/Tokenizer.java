package dev.bitweave.runtime.text;

import dev.bitweave.runtime.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * llama2.c's BPE tokenizer, reproducing run.c's {@code encode}, {@code decode} and
 * {@code safe_printf} byte for byte.
 *
 * <p>run.c handles pieces as C strings, so a piece ends at its first NUL byte; the same view
 * is used here for lookups and decoding so that odd vocabularies behave as they do in C.
 */
public final class Tokenizer {
    /** Beginning of sequence; generation stops when it is sampled. */
    public static final int BOS = 1;
    /** End of sequence. */
    public static final int EOS = 2;
    /** Byte-fallback pieces {@code <0x00>..<0xFF>} follow {@code <unk>, <s>, </s>}. */
    private static final int BYTE_FALLBACK_OFFSET = 3;
    /** run.c stops gathering a UTF-8 code point after this many bytes. */
    private static final int MAX_CODEPOINT_BYTES = 4;

    private final Vocabulary vocabulary;
    /** Pieces truncated at their first NUL, as C sees them. */
    private final byte[][] cPieces;
    /**
     * Piece bytes as ISO-8859-1 strings (a bijection of bytes and chars) to id. run.c's
     * bsearch would return any of several equal pieces; here it is always the lowest id.
     */
    private final Map<String, Integer> idOfPiece;
    private final String[] pieceKeys;

    public Tokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        int n = vocabulary.size();
        cPieces = new byte[n][];
        pieceKeys = new String[n];
        idOfPiece = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            cPieces[i] = upToNul(vocabulary.pieces().get(i));
            pieceKeys[i] = new String(cPieces[i], StandardCharsets.ISO_8859_1);
            idOfPiece.putIfAbsent(pieceKeys[i], i);
        }
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int vocabSize() {
        return cPieces.length;
    }

    /** {@link #encode(byte[], boolean, boolean)} of the text's UTF-8 bytes. */
    public int[] encode(String text, boolean bos, boolean eos) {
        return encode(text.getBytes(StandardCharsets.UTF_8), bos, eos);
    }

    /**
     * run.c's encode: optional BOS, a dummy-prefix space piece when the text is not empty, one
     * token per UTF-8 code point (or one byte-fallback token per byte when the code point has no
     * piece), then repeatedly merge the adjacent pair whose merged piece has the best score
     * (the leftmost pair on ties), then optional EOS. Like a C string, the text ends at a NUL.
     */
    public int[] encode(byte[] text, boolean bos, boolean eos) {
        byte[] utf8 = upToNul(text);
        int[] tokens = new int[utf8.length + 3];
        int n = 0;
        if (bos) {
            tokens[n++] = BOS;
        }
        if (utf8.length > 0) {
            tokens[n++] = dummyPrefixId();
        }
        n = appendCodepoints(utf8, tokens, n);
        n = mergePairs(tokens, n);
        if (eos) {
            tokens[n++] = EOS;
        }
        return Arrays.copyOf(tokens, n);
    }

    private int dummyPrefixId() {
        Integer id = idOfPiece.get(" ");
        if (id == null) {
            throw new BadInputException("the vocabulary has no \" \" piece, which encoding needs as the dummy prefix");
        }
        return id;
    }

    private int appendCodepoints(byte[] utf8, int[] tokens, int n) {
        byte[] codepoint = new byte[MAX_CODEPOINT_BYTES];
        int len = 0;
        for (int c = 0; c < utf8.length; c++) {
            if (!isContinuation(utf8[c])) {
                len = 0;
            }
            codepoint[len++] = utf8[c];
            boolean nextContinues = c + 1 < utf8.length && isContinuation(utf8[c + 1]);
            if (nextContinues && len < MAX_CODEPOINT_BYTES) {
                continue;
            }
            Integer id = idOfPiece.get(new String(codepoint, 0, len, StandardCharsets.ISO_8859_1));
            if (id != null) {
                tokens[n++] = id;
            } else {
                for (int b = 0; b < len; b++) {
                    tokens[n++] = byteFallbackId(codepoint[b], c - len + 1 + b);
                }
            }
            // A stray run of continuation bytes starts afresh rather than growing past 4.
            len = 0;
        }
        return n;
    }

    private int byteFallbackId(byte b, int textOffset) {
        int id = (b & 0xFF) + BYTE_FALLBACK_OFFSET;
        if (id >= cPieces.length) {
            throw new BadInputException(String.format("text byte 0x%02X at offset %d has no piece and its byte-fallback id %d"
                    + " is outside the vocabulary of %d", b & 0xFF, textOffset, id, cPieces.length));
        }
        return id;
    }

    private int mergePairs(int[] tokens, int n) {
        while (true) {
            float bestScore = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i < n - 1; i++) {
                Integer id = idOfPiece.get(pieceKeys[tokens[i]] + pieceKeys[tokens[i + 1]]);
                // Strictly greater: the leftmost pair wins ties, as in run.c.
                if (id != null && vocabulary.scores()[id] > bestScore) {
                    bestScore = vocabulary.scores()[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) {
                return n;
            }
            tokens[bestIdx] = bestId;
            System.arraycopy(tokens, bestIdx + 2, tokens, bestIdx + 1, n - bestIdx - 2);
            n--;
        }
    }

    /**
     * run.c's decode: the bytes of {@code token} as text following {@code prevToken}. After BOS a
     * leading space is dropped (SentencePiece's dummy prefix); a byte piece {@code <0xXX>} becomes
     * that raw byte (none for 0x00, which ends a C string). The result may be an incomplete
     * UTF-8 sequence: callers concatenate bytes, never decode pieces one by one.
     */
    public byte[] decode(int prevToken, int token) {
        if (token < 0 || token >= cPieces.length) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + cPieces.length);
        }
        byte[] piece = cPieces[token];
        int start = prevToken == BOS && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
        int rawByte = byteToken(piece, start);
        if (rawByte == 0) {
            return new byte[0];
        }
        if (rawByte > 0) {
            return new byte[] {(byte) rawByte};
        }
        return Arrays.copyOfRange(piece, start, piece.length);
    }

    /**
     * The byte a piece spells as {@code <0xXX>}, or -1. Mirrors sscanf("<0x%02hhX>"): after the
     * literal "<0x", optional white space, then at most two characters of an optionally signed
     * hex number, truncated to an unsigned char; what follows is not checked.
     */
    private static int byteToken(byte[] piece, int start) {
        int i = start;
        if (piece.length - i < 3 || piece[i] != '<' || piece[i + 1] != '0' || piece[i + 2] != 'x') {
            return -1;
        }
        i += 3;
        while (i < piece.length && isCSpace(piece[i] & 0xFF)) {
            i++;
        }
        int end = Math.min(piece.length, i + 2);
        boolean negative = false;
        if (i < end && (piece[i] == '+' || piece[i] == '-')) {
            negative = piece[i] == '-';
            i++;
        }
        int value = 0;
        int digits = 0;
        for (; i < end && Character.digit(piece[i], 16) >= 0; i++, digits++) {
            value = value * 16 + Character.digit(piece[i], 16);
        }
        if (digits == 0) {
            return -1;
        }
        return (negative ? -value : value) & 0xFF;
    }

    /**
     * run.c's safe_printf: the bytes it would print for a decoded piece. A piece that is a single
     * byte neither printable nor white space (in the C locale) is dropped, because it is usually
     * one stray byte of a broken UTF-8 sequence or a control character.
     */
    public static byte[] printable(byte[] piece) {
        if (piece.length == 1) {
            int b = piece[0] & 0xFF;
            boolean isPrint = b >= 0x20 && b <= 0x7E;
            if (!(isPrint || isCSpace(b))) {
                return new byte[0];
            }
        }
        return piece;
    }

    private static boolean isCSpace(int b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static byte[] upToNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return Arrays.copyOf(bytes, i);
            }
        }
        return bytes;
    }
}
