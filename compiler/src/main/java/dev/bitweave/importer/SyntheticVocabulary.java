package dev.bitweave.importer;

import dev.bitweave.runtime.text.Vocabulary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A well-formed vocabulary for synthetic models, laid out like llama2.c's: 0 unk, 1 BOS, 2 EOS,
 * 3..258 byte-fallback tokens, a space and the letters, then made-up syllables (with and without a leading space) so that
 * generated text is visibly text, even though a random model's text means nothing.
 */
public final class SyntheticVocabulary {
    private static final String CONSONANTS = "bcdfghjklmnprstvwz";
    private static final String VOWELS = "aeiou";

    private SyntheticVocabulary() {
    }

    public static Vocabulary of(int size) {
        List<byte[]> pieces = new ArrayList<>(size);
        float[] scores = new float[size];
        for (int i = 0; i < size; i++) {
            String p;
            if (i == 0) p = "<unk>";
            else if (i == 1) p = "\n<s>\n";
            else if (i == 2) p = "\n</s>\n";
            else if (i < 259) p = String.format("<0x%02X>", i - 3);
            else if (i == 259) p = " "; // the tokenizer's dummy prefix needs it
            else if (i < 260 + 26) p = String.valueOf((char) ('a' + i - 260));
            else {
                int k = i - 286;
                String syl = "" + CONSONANTS.charAt(k % CONSONANTS.length()) + VOWELS.charAt((k / CONSONANTS.length()) % VOWELS.length());
                int more = k / (CONSONANTS.length() * VOWELS.length());
                if (more % 3 == 1) syl = syl + CONSONANTS.charAt(more % CONSONANTS.length());
                p = (more % 2 == 0 ? " " : "") + syl + (more > 2 ? Integer.toString(more, 36) : "");
            }
            pieces.add(p.getBytes(StandardCharsets.UTF_8));
            scores[i] = i < 259 ? 0 : -(i - 259);
        }
        int max = pieces.stream().mapToInt(b -> b.length).max().orElse(1);
        return new Vocabulary(pieces, scores, max);
    }
}
