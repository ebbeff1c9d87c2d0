package dev.bitweave.runtime.api;

import dev.bitweave.runtime.board.Drivers;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@link Accelerator#open} opens and loads a board.
 *
 * @param driver      sim (the build's Verilog in Verilator), xrt or zynq (docs/board-abi.md)
 * @param config      the driver's "key=value;..." config; empty for sim means the memory model
 *                    the build was compiled for (its bandwidth, size and a 120 ns latency)
 * @param maxCycles   a decode step that runs longer ends in a timeout (simulated boards; 0 = none)
 * @param timeoutMs   a decode step that takes longer in wall-clock time ends in a timeout (0 = none)
 * @param chunkBytes  bytes per memory write and read-back while loading images
 * @param tokenizer   a llama2.c tokenizer.bin; empty: the build's plan/tokenizer.bin
 * @param progress    receives load progress
 * @param log         where a driver or simulated-board build says that it is building
 */
public record BoardOptions(Drivers.Kind driver, String config, long maxCycles, long timeoutMs, int chunkBytes,
                           Optional<Path> tokenizer, LoadProgress progress, PrintStream log) {
    public static final long DEFAULT_MAX_CYCLES = 200_000_000L;
    public static final long DEFAULT_TIMEOUT_MS = 600_000L;
    public static final int DEFAULT_CHUNK = 1 << 20;

    public BoardOptions {
        if (driver == null) throw new IllegalArgumentException("driver is null");
        if (maxCycles < 0 || timeoutMs < 0) throw new IllegalArgumentException("negative limit: maxCycles " + maxCycles
                + ", timeoutMs " + timeoutMs);
        if (chunkBytes < 64) throw new IllegalArgumentException("chunkBytes " + chunkBytes + " is below 64");
        config = config == null ? "" : config;
        tokenizer = tokenizer == null ? Optional.empty() : tokenizer;
        progress = progress == null ? LoadProgress.NONE : progress;
        log = log == null ? System.err : log;
    }

    /** The simulated board with the build's memory model, 200M-cycle and 10-minute step limits. */
    public static BoardOptions sim() {
        return of(Drivers.Kind.SIM, "");
    }

    public static BoardOptions of(Drivers.Kind driver, String config) {
        return new BoardOptions(driver, config, DEFAULT_MAX_CYCLES, DEFAULT_TIMEOUT_MS, DEFAULT_CHUNK, Optional.empty(),
                LoadProgress.NONE, System.err);
    }

    public BoardOptions withMaxCycles(long cycles) {
        return new BoardOptions(driver, config, cycles, timeoutMs, chunkBytes, tokenizer, progress, log);
    }

    public BoardOptions withTimeoutMs(long ms) {
        return new BoardOptions(driver, config, maxCycles, ms, chunkBytes, tokenizer, progress, log);
    }

    public BoardOptions withChunkBytes(int bytes) {
        return new BoardOptions(driver, config, maxCycles, timeoutMs, bytes, tokenizer, progress, log);
    }

    public BoardOptions withTokenizer(Path file) {
        return new BoardOptions(driver, config, maxCycles, timeoutMs, chunkBytes, Optional.ofNullable(file), progress, log);
    }

    public BoardOptions withProgress(LoadProgress p) {
        return new BoardOptions(driver, config, maxCycles, timeoutMs, chunkBytes, tokenizer, p, log);
    }

    public BoardOptions withLog(PrintStream out) {
        return new BoardOptions(driver, config, maxCycles, timeoutMs, chunkBytes, tokenizer, progress, out);
    }
}
