package dev.bitweave.runtime.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenizerTest {
    private static final Path SHARED = Path.of(System.getProperty("bitweave.shared", "../../shared"));
    private static final Path TOK512 = SHARED.resolve("models/tok512.bin");
    private static final Path REFERENCE = SHARED.resolve("reference");

    private static final Tokenizer TOKENIZER = new Tokenizer(TokenizerFile.read(TOK512, 512));

    /** The forced prompt tokens of a reference run: BOS, then NEXT of the first n - 1 lines. */
    private static int[] promptIdsOf(String idsFile, int promptLength) throws IOException {
        List<String> lines = Files.readAllLines(REFERENCE.resolve(idsFile));
        int[] ids = new int[promptLength];
        ids[0] = Tokenizer.BOS;
        for (int i = 1; i < promptLength; i++) {
            String[] posNext = lines.get(i - 1).split(" ");
            assertEquals(i - 1, Integer.parseInt(posNext[0]));
            ids[i] = Integer.parseInt(posNext[1]);
        }
        return ids;
    }

    @Test
    void encodesOnceUponATimeAsTheReferenceRunForcedIt() throws IOException {
        int[] ids = TOKENIZER.encode("Once upon a time", true, false);
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, ids);
        assertArrayEquals(promptIdsOf("stories260K.once.greedy.ids", ids.length), ids);
    }

    @Test
    void encodesLilyAsTheReferenceRunForcedIt() throws IOException {
        int[] ids = TOKENIZER.encode("Lily", true, false);
        assertArrayEquals(new int[] {1, 317}, ids);
        assertArrayEquals(promptIdsOf("stories260K.lily.t1-p0.9-s42.ids", ids.length), ids);
    }

    @Test
    void emptyTextHasNoDummyPrefix() {
        assertArrayEquals(new int[] {1}, TOKENIZER.encode("", true, false));
        assertArrayEquals(new int[] {2}, TOKENIZER.encode("", false, true));
        assertArrayEquals(new int[0], TOKENIZER.encode("", false, false));
    }

    @Test
    void textEndsAtNulLikeACString() {
        assertArrayEquals(TOKENIZER.encode("Lily", true, true),
                TOKENIZER.encode("Lily\0 and more".getBytes(StandardCharsets.UTF_8), true, true));
    }

    @Test
    void codePointsWithoutAPieceFallBackToByteTokens() {
        int space = 410;
        assertEquals(" ", new String(TOKENIZER.vocabulary().pieces().get(space), StandardCharsets.UTF_8));
        // é (C3 A9) has a piece of its own; ü (C3 BC) does not, so it becomes its two bytes,
        // and byte tokens start at id 3 (after <unk>, <s>, </s>).
        assertArrayEquals(new int[] {space, 485}, TOKENIZER.encode("é", false, false));
        assertArrayEquals(new int[] {space, 0xC3 + 3, 0xBC + 3}, TOKENIZER.encode("ü", false, false));
        // A stray continuation byte is a code point of its own.
        assertArrayEquals(new int[] {space, 0x80 + 3}, TOKENIZER.encode(new byte[] {(byte) 0x80}, false, false));
    }

    @Test
    void mergesTakeTheBestScoreAndTheLeftmostPairOnTies() {
        // Vocabulary: a, b, ab (score 1), ba (score 1), " " -> "aba" can merge (ab)a or a(ba);
        // both merges score 1, so the leftmost pair "ab" wins.
        Tokenizer t = tiny(new String[] {"<unk>", "<s>", "</s>", " ", "a", "b", "ab", "ba"},
                new float[] {0, 0, 0, 0, 0, 0, 1, 1});
        assertArrayEquals(new int[] {3, 6, 4}, t.encode("aba", false, false));
        // With "ba" scoring higher, it wins although it is further right.
        Tokenizer u = tiny(new String[] {"<unk>", "<s>", "</s>", " ", "a", "b", "ab", "ba"},
                new float[] {0, 0, 0, 0, 0, 0, 1, 2});
        assertArrayEquals(new int[] {3, 4, 7}, u.encode("aba", false, false));
    }

    private static Tokenizer tiny(String[] pieces, float[] scores) {
        return new Tokenizer(new Vocabulary(
                java.util.Arrays.stream(pieces).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList(), scores, 5));
    }

    @Test
    void decodeStripsTheLeadingSpaceOnlyAfterBos() {
        assertEquals("Once", utf8(TOKENIZER.decode(1, 403)));
        assertEquals(" upon", utf8(TOKENIZER.decode(403, 407)));
    }

    @Test
    void decodeTurnsBytePiecesIntoRawBytes() {
        assertArrayEquals(new byte[] {'A'}, TOKENIZER.decode(5, 0x41 + 3));
        assertArrayEquals(new byte[] {'\n'}, TOKENIZER.decode(5, 0x0A + 3));
        assertArrayEquals(new byte[] {(byte) 0xC3}, TOKENIZER.decode(5, 0xC3 + 3));
        // <0x00> would be an empty C string.
        assertArrayEquals(new byte[0], TOKENIZER.decode(5, 3));
    }

    @Test
    void decodingTheEncodedPromptGivesItBack() {
        String text = "Once upon a time, Lily saw a cat. Café, Müll!";
        int[] ids = TOKENIZER.encode(text, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i < ids.length; i++) {
            out.writeBytes(TOKENIZER.decode(ids[i - 1], ids[i]));
        }
        assertEquals(text, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printableDropsLoneUnprintableBytesOnly() {
        assertArrayEquals(new byte[0], Tokenizer.printable(new byte[] {1}));
        assertArrayEquals(new byte[0], Tokenizer.printable(new byte[] {(byte) 0xC3}));
        assertArrayEquals(new byte[0], Tokenizer.printable(new byte[] {0x7F}));
        assertArrayEquals(new byte[] {'\n'}, Tokenizer.printable(new byte[] {'\n'}));
        assertArrayEquals(new byte[] {'x'}, Tokenizer.printable(new byte[] {'x'}));
        byte[] eAcute = {(byte) 0xC3, (byte) 0xA9};
        assertArrayEquals(eAcute, Tokenizer.printable(eAcute));
        assertArrayEquals(new byte[0], Tokenizer.printable(new byte[0]));
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
