package dev.bitweave.csim;

import dev.bitweave.runtime.BadInputException;

import dev.bitweave.backend.hls.TestBenchArgs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the compiled hls/bitweave_tb on a build: greedy decoding from a first token, one kernel call
 * per position, and reads back what it wrote (each position's logits, the token fed, ARGMAX).
 */
public final class TestBench {
    /** One decode step as the kernel ran it. */
    public record Step(int pos, int token, int argmax, int argmaxValue, int[] logits) {
    }

    /** The steps that ran; error is the kernel's report when it stopped early (empty string when none). */
    public record Result(List<Step> steps, String error, double seconds) {
        public boolean failed() {
            return !error.isEmpty();
        }
    }

    private TestBench() {
    }

    public static Result greedy(Path exe, Path build, int positions, int first, int vocab) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("bitweave-csim-");
        try {
            Path prefix = out.resolve("run");
            List<String> cmd = new ArrayList<>(List.of(exe.toString()));
            cmd.addAll(new TestBenchArgs(build.toAbsolutePath().toString(), prefix.toString(), Integer.toString(positions)).argv());
            cmd.addAll(List.of("--first", Integer.toString(first)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            long t0 = System.nanoTime();
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the C simulation did not finish within 30 minutes");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int code = p.exitValue();
            if (code == 2) throw new BadInputException(log.replaceFirst("^bitweave_tb: ", ""));
            if (code != 0 && code != 1) throw new IllegalStateException("the C simulation exited with " + code + ": " + log);
            return new Result(read(prefix, vocab), code == 0 ? "" : log.replaceFirst("^bitweave_tb: ", ""), seconds);
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    private static List<Step> read(Path prefix, int vocab) throws IOException {
        List<String> lines = Files.readAllLines(prefix.resolveSibling("run.ids"));
        ByteBuffer logits = ByteBuffer.wrap(Files.readAllBytes(prefix.resolveSibling("run.logits"))).order(ByteOrder.LITTLE_ENDIAN);
        List<Step> steps = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            int[] row = new int[vocab];
            for (int i = 0; i < vocab; i++) row[i] = logits.getInt();
            steps.add(new Step(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), row));
        }
        return steps;
    }
}
