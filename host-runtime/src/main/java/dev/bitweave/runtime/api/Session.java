package dev.bitweave.runtime.api;

import dev.bitweave.runtime.generate.Decoder;
import dev.bitweave.runtime.generate.Generator;
import dev.bitweave.runtime.generate.Step;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * One generation on a board: the prompt is fed position by position (prefill), then tokens are
 * sampled until the step budget, BOS, EOS or the stop string. Tokens are produced lazily: each
 * {@link #hasNext()} that needs one runs one decode step on the board.
 *
 * <p><b>Threads.</b> A session is pulled by one thread at a time ({@link #hasNext()},
 * {@link #next()}). {@link #cancel()} may be called from any thread: the step running finishes,
 * then the session ends with {@link StopReason#CANCELLED}. {@link #close()} may also be called
 * from any thread; it cancels and hands the board back to its {@link Accelerator}, which then
 * takes a new session. A board runs one session at a time.
 */
public final class Session implements Iterator<GeneratedToken>, AutoCloseable {
    private final Generator.Run run;
    private final int promptLength;
    private final SessionOptions options;
    private final Supplier<StepCycles> lastStep;
    private final Runnable release;
    private final ByteArrayOutputStream generated = new ByteArrayOutputStream();
    private final byte[] stop;
    private volatile boolean cancelled;
    private volatile StopReason stopReason;
    private boolean closed;
    private GeneratedToken pending;
    private int produced;

    Session(Decoder decoder, Tokenizer tokenizer, int[] promptTokens, SessionOptions options, Supplier<StepCycles> lastStep,
            Runnable release) {
        Sampler sampler = new Sampler(decoder.vocabSize(), options.temperature(), options.topp(), options.seed());
        this.run = new Generator(decoder, tokenizer, sampler).start(promptTokens, options.steps());
        this.promptLength = promptTokens.length;
        this.options = options;
        this.lastStep = lastStep;
        this.release = release;
        this.stop = options.stop().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Runs the next decode step if no token is waiting; false once the session has ended. */
    @Override
    public synchronized boolean hasNext() {
        if (pending != null) return true;
        if (stopReason != null) return false;
        if (cancelled) {
            stopReason = StopReason.CANCELLED;
            return false;
        }
        long t0 = System.nanoTime();
        Step step;
        try {
            step = run.next();
        } catch (RuntimeException e) {
            stopReason = StopReason.ERROR;
            throw e;
        }
        if (step == null) {
            stopReason = run.result().stoppedAtBos() ? StopReason.BOS : StopReason.STEPS;
            return false;
        }
        boolean fromPrompt = step.pos() < promptLength - 1;
        if (!fromPrompt && options.stopAtEos() && step.next() == Tokenizer.EOS) {
            stopReason = StopReason.EOS;
            return false;
        }
        StepCycles c = lastStep.get();
        long total = System.nanoTime() - t0;
        TokenStats stats = c == null ? new TokenStats(-1, -1, 0, total)
                : new TokenStats(c.cycles(), c.rooflineCycles(), c.boardNanos(), Math.max(0, total - c.boardNanos()));
        pending = new GeneratedToken(step.pos(), step.next(), step.piece(), fromPrompt, stats);
        if (!fromPrompt && stop != null) {
            generated.writeBytes(step.piece());
            if (contains(generated.toByteArray(), stop)) stopReason = StopReason.STOP_STRING;
        }
        return true;
    }

    @Override
    public synchronized GeneratedToken next() {
        if (!hasNext()) throw new NoSuchElementException("the session has ended: " + stopReason);
        GeneratedToken t = pending;
        pending = null;
        produced++;
        return t;
    }

    /** Ends the session after the step running, if any; callable from any thread. */
    public void cancel() {
        cancelled = true;
    }

    /** Why the session ended; null while it runs. */
    public synchronized StopReason stopReason() {
        return pending != null ? null : stopReason;
    }

    /** Tokens returned by next() so far, prompt tokens included. */
    public synchronized int produced() {
        return produced;
    }

    /** Positions fed to the board so far. */
    public int positions() {
        return run.forwardSteps();
    }

    /** Cancels, waits for the step running (if any), and hands the board back; idempotent. */
    @Override
    public void close() {
        cancel();
        synchronized (this) {
            if (closed) return;
            closed = true;
            pending = null;
            if (stopReason == null) stopReason = StopReason.CANCELLED;
        }
        release.run();
    }

    private static boolean contains(byte[] text, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= text.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (text[i + j] != what[j]) continue outer;
            }
            return true;
        }
        return false;
    }
}
