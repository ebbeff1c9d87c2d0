package dev.bitweave.runtime.generate;

/**
 * One step of the generate loop.
 *
 * @param pos   the position that was fed to the decoder
 * @param next  the token chosen for position {@code pos + 1}: the forced prompt token while
 *              inside the prompt, else the sampled one
 * @param piece run.c's decode of {@code next} after the token fed at {@code pos}: raw bytes,
 *              possibly part of a UTF-8 sequence; see {@code Tokenizer.printable} for what run.c
 *              would print
 */
public record Step(int pos, int next, byte[] piece) {
    /** The line of a reference {@code .ids} file: "POS NEXT". */
    public String idsLine() {
        return pos + " " + next;
    }
}
