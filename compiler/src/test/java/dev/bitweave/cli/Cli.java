package dev.bitweave.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the CLI in-process exactly as ./bitweave does (Main.run), with stdout and stderr captured,
 * and states the CLI's contract for bad input once for every suite.
 */
public final class Cli {
    public static final String ERROR_PREFIX = "bitweave: error: ";

    private Cli() {
    }

    /** What one command line did. stdout stays bytes: generated text is raw bytes, as run.c prints it. */
    public record Result(String command, int code, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public List<String> outLines() {
            return out().lines().toList();
        }

        /** For assertion messages: enough to see what went wrong without rerunning. */
        public String describe() {
            String o = out();
            return "bitweave " + command + "\n-> exit " + code + "\nstderr:\n" + stderr
                    + "stdout (" + stdout.length + " bytes):\n" + (o.length() > 2000 ? o.substring(0, 2000) + "..." : o);
        }
    }

    /** Arguments may be Paths or anything else; each becomes one argv element via toString. */
    public static Result run(Object... args) {
        String[] argv = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(argv, o, e);
        }
        return new Result(String.join(" ", argv), code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and requires exit 0. */
    public static Result ok(Object... args) {
        Result r = run(args);
        assertEquals(Main.OK, r.code(), r::describe);
        return r;
    }

    /**
     * Runs and requires the bad-input contract: exit 2, stderr exactly one line
     * "bitweave: error: ..." and no stack trace. Returns the message after the prefix.
     */
    public static String badInput(Object... args) {
        Result r = run(args);
        assertEquals(Main.BAD_INPUT, r.code(), r::describe);
        return singleErrorLine(r, r.stderr().lines().toList());
    }

    /** The message of the one error line among {@code lines}, which must be all of stderr's error output. */
    public static String singleErrorLine(Result r, List<String> lines) {
        assertFalse(r.stderr().contains("\tat "), () -> "stack trace on stderr\n" + r.describe());
        assertFalse(r.stderr().contains("Exception"), () -> "exception class name on stderr\n" + r.describe());
        assertEquals(1, lines.size(), () -> "expected exactly one line on stderr\n" + r.describe());
        String line = lines.get(0);
        assertTrue(line.startsWith(ERROR_PREFIX), () -> "not a bitweave error line\n" + r.describe());
        return line.substring(ERROR_PREFIX.length());
    }

    /** Asserts that every fragment occurs in the message, reporting the whole message if not. */
    public static void assertMentions(String message, Object... fragments) {
        for (Object f : fragments) {
            assertTrue(message.contains(String.valueOf(f)), () -> "message lacks \"" + f + "\": " + message);
        }
    }

    /**
     * Nothing of a refused quantize may remain: neither the -o directory nor a hidden
     * ".NAME.tmp-*" sibling that AtomicDirectory writes into before its rename.
     */
    public static void assertNoOutputLeft(Path output) throws IOException {
        assertFalse(Files.exists(output), () -> output + " was created");
        Path parent = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) return;
        String prefix = "." + output.getFileName() + ".tmp-";
        try (Stream<Path> s = Files.list(parent)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(List.of(), left, "temp directories left beside " + output);
        }
    }
}
