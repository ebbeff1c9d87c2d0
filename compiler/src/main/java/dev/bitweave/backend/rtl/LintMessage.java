package dev.bitweave.backend.rtl;

/**
 * One Verilator diagnostic, e.g. {@code %Warning-WIDTH: mac.v:7:27: Operator ASSIGNDLY expects 4 bits...}.
 *
 * @param severity warning or error
 * @param code     Verilator's code ({@code WIDTH}, {@code UNUSEDSIGNAL}, {@code DECLFILENAME}...), or
 *                 {@code ERROR} for an error without one (syntax errors)
 * @param file     the source as Verilator names it, or "" when the message has no location
 * @param line     1-based line, or 0 without a location
 * @param column   1-based column, or 0 when Verilator gives none
 * @param message  the text after the location, first line only (the source excerpt and the
 *                 "For warning description see..." lines are left out)
 */
public record LintMessage(Severity severity, String code, String file, int line, int column, String message) {

    public enum Severity { WARNING, ERROR }

    /** As Verilator prints it, on one line. */
    @Override
    public String toString() {
        String where = file.isEmpty() ? "" : file + ":" + line + ":" + (column > 0 ? column + ":" : "") + " ";
        String head = severity == Severity.WARNING ? "%Warning-" + code : code.equals("ERROR") ? "%Error" : "%Error-" + code;
        return head + ": " + where + message;
    }
}
