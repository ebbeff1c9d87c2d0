package dev.bitweave.bench;

import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.CompiledBuild;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.LoadStats;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * `bench host`: what the host costs per token, next to a board, and how fast images load into the
 * simulated board. Three parts:
 * <ol>
 * <li>sessions of a real build on the simulated board: per generated token, the step's wall time
 *     minus the board's start-to-done time (TokenStats.hostNanos: register calls, the logits read
 *     over JNA, sampling, detokenizing, the session's bookkeeping), and the images' load rates;</li>
 * <li>the same host work at a 32,000-token vocabulary (stories110M), timed part by part: the
 *     register calls of a step, reading 32,000 int32 logits over JNA and converting them, run.c's
 *     sampler over 32,000 logits (greedy, temperature 1, top-p 0.9), one detokenized piece;</li>
 * <li>raw memory writes into a simulated board (64 MiB in 1 MiB chunks).</li>
 * </ol>
 * The per-token total of part 2 is compared with the on-board token time of the stories110M-shaped
 * model at 4 bits on the KV260 (docs/benchmarks.md: 4,112,170 cycles at position 64).
 */
public final class HostBench {
    /** docs/benchmarks.md, "stories110M shape at position 64", kria-kv260, w4a8-g32. */
    public static final long KV260_110M_CYCLES = 4_112_170L;
    public static final double BUDGET_FRACTION = 0.05;

    public record Stat(String what, double mean, double median, double max, int samples) {
    }

    public record Result(String build, int vocab, LoadStats load, double cyclesPerToken, double boardMsPerToken,
                         Stat hostPerToken, Stat regCall, Stat logits32k, Stat greedy32k, Stat topp32k, Stat multinomial32k,
                         Stat decode32k, double host32kMs, double host32kGreedyMs, double host32kMultinomialMs, double host32kToppMs,
                         double rawWriteMBps, double onBoardMs300, double onBoardMs250,
                         double fractionOf300) {
    }

    private HostBench() {
    }

    public static Result run(Path buildDir, Path tokenizer, int steps, PrintStream log) throws IOException {
        BoardOptions options = BoardOptions.sim().withTokenizer(tokenizer).withLog(log);
        CompiledBuild build = CompiledBuild.open(buildDir);
        int vocab = build.model().vocabSize();
        // 1. sessions on the board
        List<Double> hostUs = new ArrayList<>();
        double cycles = 0;
        double boardMs = 0;
        LoadStats load;
        try (Accelerator acc = Accelerator.open(buildDir, options)) {
            load = acc.loadStats();
            for (SessionOptions so : List.of(SessionOptions.greedy(steps).withStopAtEos(false),
                    new SessionOptions(1.0f, 0.9f, 42, steps, false, Optional.empty()))) {
                try (Session s = acc.session(Prompt.text("Once upon a time"), so)) {
                    while (s.hasNext()) {
                        GeneratedToken t = s.next();
                        if (t.fromPrompt()) continue;
                        hostUs.add(t.stats().hostNanos() / 1e3);
                        cycles += t.stats().cycles();
                        boardMs += t.stats().boardNanos() / 1e6;
                    }
                }
            }
        }
        int n = hostUs.size();
        Stat host = stat("host per generated token, vocabulary " + vocab + " (us)", hostUs);

        // 2 and 3. a raw simulated board of the same design, with 128 MiB of memory
        Stat reg;
        Stat logits;
        double writeMBps;
        String config = Accelerator.simConfig(build.manifest()).withMemBytes(128L << 20).toString();
        try (Board board = Drivers.create().progress(log).open(Drivers.Kind.SIM, build.rtl(), config)) {
            reg = time("one register call over JNA (us)", 20_000, 5, () -> board.regRead(BoardRegisters.STATUS));
            byte[] raw = new byte[4 * 32_000];
            float[] out = new float[32_000];
            logits = time("read 32,000 int32 logits over JNA and convert (us)", 300, 5, () -> {
                board.memRead(0, raw, 0, raw.length);
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < out.length; i++) out[i] = (float) (b.getInt() / 65536.0);
            });
            byte[] chunk = new byte[1 << 20];
            new Random(1).nextBytes(chunk);
            double best = 0;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < 64; k++) board.memWrite((long) k << 20, chunk, 0, chunk.length);
                best = Math.max(best, (64L << 20) / 1e6 / ((System.nanoTime() - t0) / 1e9));
            }
            writeMBps = best;
        }
        // 2. sampling and detokenizing at 32,000
        float[][] pool = syntheticLogits(32_000, 64);
        Stat greedy = sample("run.c sampler over 32,000 logits, greedy (us)", pool, 0f, 0.9f);
        Stat topp = sample("run.c sampler over 32,000 logits, temperature 1, top-p 0.9 (us)", pool, 1f, 0.9f);
        Stat multi = sample("run.c sampler over 32,000 logits, temperature 1, top-p 1 (us)", pool, 1f, 1f);
        Tokenizer tok32k = new Tokenizer(syntheticVocabulary(32_000));
        Random r = new Random(7);
        int[] ids = new int[4096];
        for (int i = 0; i < ids.length; i++) ids[i] = 3 + r.nextInt(32_000 - 3);
        int[] k = {0};
        Stat decode = time("detokenize one piece, 32,000-piece vocabulary (us)", 4096, 5, () -> {
            int i = k[0]++ & 4095;
            Tokenizer.printable(tok32k.decode(ids[i], ids[(i + 1) & 4095]));
        });
        // a step's host calls: TOKEN, POS, start, STATUS, CYCLES_LO, CYCLES_HI, ARGMAX (7) and the wait's own call
        double fixed = 8 * reg.mean() + logits.mean() + decode.mean();
        double host32k = (fixed + Math.max(topp.mean(), Math.max(greedy.mean(), multi.mean()))) / 1e3;
        double ms300 = KV260_110M_CYCLES / 300e3;
        double ms250 = KV260_110M_CYCLES / 250e3;
        return new Result(buildDir.toString(), vocab, load, n == 0 ? 0 : cycles / n, n == 0 ? 0 : boardMs / n, host, reg, logits,
                greedy, topp, multi, decode, host32k, (fixed + greedy.mean()) / 1e3, (fixed + multi.mean()) / 1e3,
                (fixed + topp.mean()) / 1e3, writeMBps, ms300, ms250, host32k / ms300);
    }

    private static Stat sample(String what, float[][] pool, float temperature, float topp) {
        Sampler s = new Sampler(32_000, temperature, topp, 42);
        float[] work = new float[32_000];
        List<Double> us = new ArrayList<>();
        for (int rep = 0; rep < 6; rep++) {
            for (float[] logits : pool) {
                System.arraycopy(logits, 0, work, 0, work.length); // the sampler works in place; the copy (~10 us) is counted
                long t0 = System.nanoTime();
                s.sample(work);
                if (rep > 0) us.add((System.nanoTime() - t0) / 1e3);
            }
        }
        return stat(what, us);
    }

    /** Gaussian logits (sd 3): a few dozen tokens hold most of the mass, as in a trained model's next-token distribution. */
    static float[][] syntheticLogits(int vocab, int count) {
        Random r = new Random(11);
        float[][] out = new float[count][vocab];
        for (float[] l : out) for (int i = 0; i < vocab; i++) l[i] = (float) (3 * r.nextGaussian());
        return out;
    }

    static Vocabulary syntheticVocabulary(int size) {
        List<byte[]> pieces = new ArrayList<>();
        float[] scores = new float[size];
        int max = 0;
        for (int i = 0; i < size; i++) {
            byte[] p = (i < 3 ? "<" + i + ">" : (i % 3 == 0 ? " w" : "w") + Integer.toString(i, 36)).getBytes(StandardCharsets.UTF_8);
            pieces.add(p);
            scores[i] = -i;
            max = Math.max(max, p.length);
        }
        return new Vocabulary(pieces, scores, max);
    }

    private static Stat time(String what, int perRound, int rounds, Runnable r) {
        for (int i = 0; i < perRound; i++) r.run(); // warm-up
        List<Double> us = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < perRound; i++) {
                long t0 = System.nanoTime();
                r.run();
                us.add((System.nanoTime() - t0) / 1e3);
            }
        }
        return stat(what, us);
    }

    static Stat stat(String what, List<Double> us) {
        if (us.isEmpty()) return new Stat(what, 0, 0, 0, 0);
        double[] v = us.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stat(what, Arrays.stream(v).average().orElse(0), v[v.length / 2], v[v.length - 1], v.length);
    }
}
