package dev.bitweave.backend.rtl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code verilator --lint-only -Wall} on a set of Verilog sources and parses what it says.
 * Generated Verilog must come out of this clean (ARCHITECTURE.md, "Real tools").
 *
 * <pre>{@code
 * VerilogLint.of("bitweave_top", sources).withParameter("BUS", 128).requireClean();
 * }</pre>
 *
 * <p>Instances are immutable; the {@code with} methods return changed copies.
 */
public final class VerilogLint {

    static final String INSTALL_HINT = "install it with: apt-get install verilator (./test.sh does this)";

    /** {@code %Warning-CODE: file:line:col: text}, {@code %Error: file:line:col: text}, location optional. */
    private static final Pattern MESSAGE = Pattern.compile(
            "^%(Warning|Error)(?:-([A-Za-z0-9_]+))?: (?:(.+?):(\\d+):(?:(\\d+):)? )?(.*)$");
    /** Verilator's closing summary on errors; it repeats the count, not a finding. */
    private static final Pattern SUMMARY = Pattern.compile("^Exiting due to \\d+ (error|warning)\\(s\\)$");

    private final String top;
    private final List<Path> sources;
    private final SortedMap<String, Long> parameters;
    private final String executable;
    private final Duration timeout;

    private VerilogLint(String top, List<Path> sources, SortedMap<String, Long> parameters,
                        String executable, Duration timeout) {
        this.top = VerilogIdentifier.require("top module", top);
        this.sources = List.copyOf(sources);
        this.parameters = parameters;
        this.executable = executable;
        this.timeout = timeout;
        if (this.sources.isEmpty()) throw new IllegalArgumentException("no Verilog sources to lint");
    }

    public static VerilogLint of(String top, List<Path> sources) {
        return new VerilogLint(top, sources, new TreeMap<>(), "verilator", Duration.ofMinutes(5));
    }

    /** Overrides a parameter of the top module ({@code -G}), as {@link YosysSynthesis#withParameter} does. */
    public VerilogLint withParameter(String name, long value) {
        SortedMap<String, Long> p = new TreeMap<>(parameters);
        p.put(VerilogIdentifier.require("parameter", name), value);
        return new VerilogLint(top, sources, p, executable, timeout);
    }

    public VerilogLint withParameters(Map<String, Long> values) {
        VerilogLint l = this;
        for (Map.Entry<String, Long> e : new TreeMap<>(values).entrySet()) l = l.withParameter(e.getKey(), e.getValue());
        return l;
    }

    /** The verilator to run: a name looked up on PATH, or a path. */
    public VerilogLint withExecutable(String path) {
        return new VerilogLint(top, sources, parameters, path, timeout);
    }

    public VerilogLint withTimeout(Duration t) {
        return new VerilogLint(top, sources, parameters, executable, t);
    }

    /** The command line this lint runs. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(executable, "--lint-only", "-Wall",
                // Warnings stay in the output either way. Without this, Verilator exits non-zero
                // for warnings and may stop at the end of a stage, hiding later stages' warnings;
                // with it, every warning of the design is listed and a non-zero exit means an error.
                "-Wno-fatal",
                "--top-module", top));
        parameters.forEach((k, v) -> cmd.add("-G" + k + "=" + v));
        for (Path s : sources) cmd.add(s.toAbsolutePath().toString());
        return cmd;
    }

    /**
     * Lints the sources.
     *
     * @throws RtlToolException when verilator is missing, times out, or exits non-zero without saying why
     */
    public LintReport run() {
        Path out = null;
        try {
            out = Files.createTempFile("bitweave-lint-", ".txt");
            OptionalInt status = ToolProcess.run(command(), Path.of("").toAbsolutePath(), out, timeout,
                    timeout, elapsed -> { }, INSTALL_HINT);
            if (status.isEmpty()) {
                throw new RtlToolException("verilator did not finish linting " + top + " within "
                        + ToolProcess.human(timeout) + "; stopped it");
            }
            int exit = status.getAsInt();
            List<String> lines = Files.readAllLines(out);
            List<LintMessage> messages = parse(lines);
            if (exit != 0 && messages.stream().noneMatch(m -> m.severity() == LintMessage.Severity.ERROR)) {
                throw new RtlToolException("verilator exited with status " + exit + " linting " + top + ":\n"
                        + String.join("\n", lines));
            }
            return new LintReport(top, messages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // A leftover temp file is not worth failing the lint for.
                }
            }
        }
    }

    /** Runs the lint and throws, listing every message, unless it is clean. */
    public void requireClean() {
        run().requireClean();
    }

    /** Verilator's output lines to messages; context lines (source excerpts, hints) are skipped. */
    static List<LintMessage> parse(List<String> lines) {
        List<LintMessage> messages = new ArrayList<>();
        for (String line : lines) {
            Matcher m = MESSAGE.matcher(line);
            if (!m.matches()) continue;
            String text = m.group(6);
            if (m.group(3) == null && SUMMARY.matcher(text).matches()) continue;
            boolean warning = m.group(1).equals("Warning");
            String code = m.group(2) != null ? m.group(2) : warning ? "WARNING" : "ERROR";
            messages.add(new LintMessage(
                    warning ? LintMessage.Severity.WARNING : LintMessage.Severity.ERROR,
                    code,
                    m.group(3) == null ? "" : m.group(3),
                    m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                    text));
        }
        return messages;
    }
}
