package dev.bitweave.runtime.text;

import java.util.List;

/**
 * A SentencePiece-style vocabulary as llama2.c uses it: each token's bytes (spaces as real
 * spaces, byte-fallback tokens spelled {@code <0xXX>}) and its merge score.
 *
 * @param pieces         token bytes, indexed by id
 * @param scores         BPE merge scores, indexed by id
 * @param maxTokenLength longest piece in bytes
 */
public record Vocabulary(List<byte[]> pieces, float[] scores, int maxTokenLength) {
    public Vocabulary {
        if (pieces.size() != scores.length) {
            throw new IllegalArgumentException("pieces and scores differ in length");
        }
        pieces = List.copyOf(pieces);
    }

    public int size() {
        return pieces.size();
    }
}
