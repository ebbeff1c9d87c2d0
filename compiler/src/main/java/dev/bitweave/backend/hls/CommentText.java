package dev.bitweave.backend.hls;

/**
 * Free text from a board descriptor (its title) printed inside tcl and cfg comments. A newline
 * would end the comment and run the rest as tcl, and a trailing backslash would make tcl swallow
 * the next line into the comment, so both become plain characters here.
 */
final class CommentText {
    private CommentText() {
    }

    static String of(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\\') b.append('/');
            else if (Character.isISOControl(c)) b.append(' ');
            else b.appendCodePoint(c);
        });
        return b.toString();
    }
}
