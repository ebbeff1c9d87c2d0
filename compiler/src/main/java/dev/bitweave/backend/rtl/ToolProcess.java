package dev.bitweave.backend.rtl;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Starts one external tool with its output (stdout and stderr merged) going to a file, and
 * waits for it with a deadline.
 *
 * <p>Output goes to a file rather than a pipe because Yosys writes megabytes of log on large
 * designs: a pipe nobody drains would stall it, and a file can be tailed for progress and read
 * after a failure.
 */
final class ToolProcess {

    /** Called every tick while the tool runs, with the time since it started. */
    interface Ticker {
        void tick(Duration elapsed);
    }

    private ToolProcess() {
    }

    /**
     * Runs {@code command} in {@code workDir}.
     *
     * @param installHint how to get the tool, for the "not found" message
     * @return the exit status, or empty when the tool still ran at the deadline and was killed
     *         with its children (Yosys runs yosys-abc); the caller names what it was doing
     * @throws RtlToolException when the tool is not installed
     */
    static OptionalInt run(List<String> command, Path workDir, Path output, Duration timeout,
                   Duration tickEvery, Ticker ticker, String installHint) {
        String tool = command.get(0);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            throw new RtlToolException(tool + " not found or not runnable (" + e.getMessage() + "); "
                    + installHint, e);
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                long wait = Math.min(tickEvery.toNanos(), deadline - now);
                if (wait <= 0) {
                    kill(process);
                    return OptionalInt.empty();
                }
                if (process.waitFor(wait, TimeUnit.NANOSECONDS)) {
                    return OptionalInt.of(process.exitValue());
                }
                if (System.nanoTime() < deadline) {
                    ticker.tick(Duration.ofNanos(System.nanoTime() - start));
                }
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new RtlToolException(tool + " interrupted; stopped it", e);
        }
    }

    /** Kills the tool and what it started: Yosys runs ABC as child processes. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 1) return d.toMillis() + " ms";
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h";
    }
}
