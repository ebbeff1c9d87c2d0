package dev.bitweave.runtime.api;

import dev.bitweave.runtime.text.Tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * One token a session produced.
 *
 * @param pos        the position fed to the board; this token is the one for pos + 1
 * @param id         the token id
 * @param piece      its text as run.c decodes it after the previous token: raw bytes, possibly
 *                   part of a UTF-8 sequence
 * @param fromPrompt true while the prompt is fed (the token is the prompt's own, not sampled)
 * @param stats      what the step cost
 */
public record GeneratedToken(int pos, int id, byte[] piece, boolean fromPrompt, TokenStats stats) {
    public GeneratedToken {
        piece = piece.clone();
    }

    @Override
    public byte[] piece() {
        return piece.clone();
    }

    /** What run.c would print for this piece, as text (control bytes dropped, as run.c does). */
    public String text() {
        return new String(Tokenizer.printable(piece), StandardCharsets.UTF_8);
    }
}
