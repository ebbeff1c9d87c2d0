package dev.bitweave.backend.rtl;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one {@code verilator --lint-only -Wall} run said about a design.
 *
 * @param top      the top module linted
 * @param messages every warning and error, in Verilator's order
 */
public record LintReport(String top, List<LintMessage> messages) {

    public LintReport {
        messages = List.copyOf(messages);
    }

    public boolean clean() {
        return messages.isEmpty();
    }

    /** The codes in order, e.g. [WIDTH, UNUSEDSIGNAL]; what tests compare against. */
    public List<String> codes() {
        return messages.stream().map(LintMessage::code).toList();
    }

    /**
     * @throws RtlToolException listing every message, one per line, when there is any
     */
    public void requireClean() {
        if (clean()) return;
        throw new RtlToolException("verilator --lint-only -Wall: " + messages.size() + " message(s) for " + top + ":\n"
                + messages.stream().map(m -> "  " + m).collect(Collectors.joining("\n")));
    }
}
