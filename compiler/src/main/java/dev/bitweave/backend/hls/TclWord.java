package dev.bitweave.backend.hls;

import java.util.regex.Pattern;

/**
 * Device parts and platform names come from board descriptors a user may write, and end up bare in
 * tcl and v++ configs: they must be one plain word, or a '[' or '$' would run as tcl.
 */
final class TclWord {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]*");

    private TclWord() {
    }

    /** @throws IllegalArgumentException naming {@code what} unless {@code word} is letters, digits, '_', '.', ':' and '-' */
    static String require(String what, String word) {
        if (word == null || !PLAIN.matcher(word).matches()) {
            throw new IllegalArgumentException(what + " '" + word + "' is not a plain word (letters, digits, _ . : -)");
        }
        return word;
    }
}
