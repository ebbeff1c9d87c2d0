package dev.bitweave.runtime.api;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.board.SimConfig;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A compiled model on a board: the entry point of the host API.
 *
 * <pre>{@code
 * try (Accelerator acc = Accelerator.open(Path.of("out/build"), BoardOptions.sim());
 *      Session s = acc.session(Prompt.text("Once upon a time"), SessionOptions.greedy(64))) {
 *     while (s.hasNext()) System.out.print(s.next().text());
 * }
 * }</pre>
 *
 * {@link #open} reads the build (manifest.json, plan/plan.json), checks every image file against
 * the CRC-32 manifest.json records, opens the board with the chosen driver (for {@code sim} it
 * builds or reuses the simulated board from the build's rtl/), writes the images in chunks with
 * progress, reads every image back and checks its CRC-32 again, and sets the program registers.
 * No token runs on a board whose images did not check.
 *
 * <p><b>Threads.</b> An accelerator may be shared between threads. It runs one {@link Session}
 * at a time: {@link #session} while another session is open throws {@link BoardBusyException}.
 * A session is pulled by one thread (see {@link Session}). {@link #close()} cancels the open
 * session, waits for its step, and closes the board.
 */
public final class Accelerator implements AutoCloseable {
    /** Memory latency of the simulated board: a DRAM/HBM access of about 120 ns at the kernel clock. */
    static final double LATENCY_NS = 120;

    private final CompiledBuild build;
    private final Board board;
    private final BoardDecoder decoder;
    private final Optional<Tokenizer> tokenizer;
    private final String description;
    private final LoadStats loadStats;
    private final AtomicReference<Session> current = new AtomicReference<>();
    private volatile String currentOwner;
    private boolean closed;

    private Accelerator(CompiledBuild build, Board board, BoardOptions options, Optional<Tokenizer> tokenizer, String description,
                        LoadStats loadStats) {
        this.build = build;
        this.loadStats = loadStats;
        this.board = board;
        this.tokenizer = tokenizer;
        this.description = description;
        this.decoder = new BoardDecoder(board, build, options.maxCycles(), options.timeoutMs());
    }

    /**
     * Opens the build in buildDir on a board and loads it. Bad input (a missing or invalid build
     * file, an image whose CRC-32 differs from manifest.json, a driver that cannot be built or a
     * device node that is not there) is a {@link BadInputException}; an image that reads back
     * wrong is an {@link ImageCheckException}.
     */
    public static Accelerator open(Path buildDir, BoardOptions options) throws IOException {
        CompiledBuild build = CompiledBuild.open(buildDir);
        List<byte[]> images = ImageLoader.verifiedFiles(build);
        Optional<Tokenizer> tokenizer = options.tokenizer().or(build::tokenizer)
                .map(f -> new Tokenizer(TokenizerFile.read(f, build.model().vocabSize())));
        String config = options.config();
        if (options.driver() == Drivers.Kind.SIM && config.isEmpty()) config = simConfig(build.manifest()).toString();
        config = withHlsParams(config, build.manifest());
        Board board = Drivers.create().progress(options.log()).open(options.driver(), build.rtl(), config);
        try {
            int bus = board.busBits();
            if (bus != build.manifest().bus()) {
                throw BadInputException.inFile(buildDir, "is built for a " + build.manifest().bus() + "-bit bus, but the "
                        + options.driver().id() + " board's design has " + bus + " bits (PARAMS): load the build's own bitstream");
            }
            LoadStats loaded = ImageLoader.load(board, build, images, options.chunkBytes(), options.progress());
            return new Accelerator(build, board, options, tokenizer, "build " + buildDir + " on the " + options.driver().id()
                    + " driver (" + build.manifest().boardName() + ")", loaded);
        } catch (RuntimeException e) {
            board.close();
            throw e;
        }
    }

    /**
     * An HLS kernel has no PARAMS register (docs/hardware.md): for {@code design=hls} without
     * {@code params=}, the driver is told the build's, so the bus check below compares like with like.
     */
    static String withHlsParams(String config, BuildManifest m) {
        boolean hls = config.matches("(?s)(.*;)?\\s*design\\s*=\\s*hls\\s*(;.*)?");
        boolean given = config.matches("(?s)(.*;)?\\s*params\\s*=.*");
        return hls && !given ? config + ";params=" + m.params() : config;
    }

    /** The simulated board's memory as the build's board has it: its bandwidth, size and 120 ns latency. */
    public static SimConfig simConfig(BuildManifest m) {
        int latency = Math.max(1, (int) Math.round(LATENCY_NS * m.kernelClockMHz() / 1000));
        return SimConfig.DEFAULT.withMemBytes(m.memoryBytes()).withLatency(latency).withBytesPerCycle(m.bytesPerCycle());
    }

    public CompiledBuild build() {
        return build;
    }

    /** How long writing and verifying the images took when the board was opened. */
    public LoadStats loadStats() {
        return loadStats;
    }

    /** The tokenizer: BoardOptions.tokenizer, else the build's plan/tokenizer.bin, else none. */
    public Optional<Tokenizer> tokenizer() {
        return tokenizer;
    }

    /**
     * Starts a session on this board. The prompt (with BOS) must fit in seq_len.
     *
     * @throws BoardBusyException when another session of this board is still open
     * @throws BadInputException  a prompt longer than seq_len, ids outside the vocabulary, no tokenizer
     */
    public Session session(Prompt prompt, SessionOptions options) {
        Tokenizer tok = tokenizer.orElseThrow(() -> new BadInputException("missing tokenizer: " + build.dir()
                + " has no plan/tokenizer.bin; pass one with BoardOptions.withTokenizer (llama2.c tokenizer.bin)"));
        int[] ids = prompt.ids().map(Accelerator::withBos).orElseGet(() -> tok.encode(prompt.text().orElse(""), true, false));
        synchronized (this) {
            if (closed) throw new IllegalStateException(description + " is closed");
            if (current.get() != null) {
                throw new BoardBusyException(description + " already runs a session (opened by thread " + currentOwner
                        + "); one session per board at a time: close it first");
            }
            decoder.restart();
            Session[] self = new Session[1];
            Session s = new Session(decoder, tok, ids, options, decoder::lastStep, () -> current.compareAndSet(self[0], null));
            self[0] = s;
            current.set(s);
            currentOwner = Thread.currentThread().getName();
            return s;
        }
    }

    /** The decode step's statistics of the last step run, or null. */
    public StepCycles lastStep() {
        return decoder.lastStep();
    }

    /** The roofline cycles of a step at pos (see {@link BoardDecoder#rooflineCycles}). */
    public long rooflineCycles(int pos) {
        return decoder.rooflineCycles(pos);
    }

    /**
     * Soft-resets the board (docs/board-abi.md) and sets the program registers again; board memory,
     * images included, is kept. Refused while a session is open.
     */
    public synchronized void softReset() {
        if (current.get() != null) throw new BoardBusyException(description + ": close the session before a soft reset");
        board.softReset();
        decoder.arm();
    }

    /**
     * Changes the limits of every later decode step (BoardOptions.maxCycles and timeoutMs; 0 = none).
     * Refused while a session is open.
     */
    public synchronized void stepLimits(long maxCycles, long timeoutMs) {
        if (current.get() != null) throw new BoardBusyException(description + ": close the session before changing limits");
        decoder.limits(maxCycles, timeoutMs);
    }

    /** Cancels the open session (waiting for its step) and closes the board; idempotent. */
    @Override
    public void close() {
        Session s = current.get();
        if (s != null) s.close();
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        board.close();
    }

    @Override
    public String toString() {
        return description;
    }

    private static int[] withBos(int[] ids) {
        if (ids.length > 0 && ids[0] == Tokenizer.BOS) return ids;
        int[] out = new int[ids.length + 1];
        out[0] = Tokenizer.BOS;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
