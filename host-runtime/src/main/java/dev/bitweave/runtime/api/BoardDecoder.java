package dev.bitweave.runtime.api;

import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.generate.Decoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The whole decode step on a loaded board (docs/decoder.md): each {@link #forward} writes TOKEN
 * and POS, starts program.img, waits for done and reads the logits (fx int32) back. Positions
 * are fed in order from 0; a new session starts again at 0 (the KV cache needs no clearing: a
 * position is written before it is read). Not thread-safe: {@link Accelerator} hands it to one
 * session at a time.
 */
public final class BoardDecoder implements Decoder {
    /** Fraction bits of the logits' fixed-point format (docs/numerics.md "fx", Q15.16). */
    static final int FX = 16;

    private final Board board;
    private final BuildManifest manifest;
    private final ModelShape model;
    private long maxCycles;
    private long timeoutMs;
    private final float[] logits;
    private final byte[] logitBytes;
    private int nextPos;
    private int argmax;
    private StepCycles last;

    /**
     * Loads the build's images onto a board the caller opened and owns (CRC-checked and read back,
     * as {@link Accelerator#open} does) and returns a decoder over it. For tools that also read or
     * write board memory between steps (the decoder benchmark's KV prefill and per-op cycles);
     * applications use {@link Accelerator}.
     */
    public static BoardDecoder load(Board board, CompiledBuild build, long maxCycles, long timeoutMs) {
        ImageLoader.load(board, build, ImageLoader.verifiedFiles(build), BoardOptions.DEFAULT_CHUNK, LoadProgress.NONE);
        return new BoardDecoder(board, build, maxCycles, timeoutMs);
    }

    BoardDecoder(Board board, CompiledBuild build, long maxCycles, long timeoutMs) {
        this.board = board;
        this.manifest = build.manifest();
        this.model = build.model();
        this.maxCycles = maxCycles;
        this.timeoutMs = timeoutMs;
        this.logits = new float[model.vocabSize()];
        this.logitBytes = new byte[4 * model.vocabSize()];
        arm();
    }

    /**
     * PROG, PROG_LEN and STATS as docs/decoder.md wants them. MEM_BASE belongs to the driver
     * (docs/board-abi.md "Real boards"): it holds the buffer's bus address, and program offsets
     * from 0 run unmodified. Writing PROG or PROG_LEN also drops a cached program.
     */
    void arm() {
        long prog = manifest.program().base();
        long stats = manifest.stats().base();
        board.regWrite(BoardRegisters.PROG_LO, (int) prog);
        board.regWrite(BoardRegisters.PROG_HI, (int) (prog >>> 32));
        board.regWrite(BoardRegisters.PROG_LEN, manifest.programEntries());
        board.regWrite(BoardRegisters.STATS_LO, (int) stats);
        board.regWrite(BoardRegisters.STATS_HI, (int) (stats >>> 32));
    }

    void limits(long maxCycles, long timeoutMs) {
        if (maxCycles < 0 || timeoutMs < 0) throw new IllegalArgumentException("negative limit: maxCycles " + maxCycles
                + ", timeoutMs " + timeoutMs);
        this.maxCycles = maxCycles;
        this.timeoutMs = timeoutMs;
    }

    /** The next forward starts at position 0 again. */
    void restart() {
        nextPos = 0;
        last = null;
    }

    /**
     * The KV cache of positions 0 .. pos - 1 is already in board memory (the caller wrote it in
     * docs/decoder.md's layout): the next forward feeds position pos.
     */
    public void resumeAt(int pos) {
        if (pos < 0 || pos >= model.seqLen()) throw new IllegalArgumentException("position " + pos + " outside 0.." + (model.seqLen() - 1));
        nextPos = pos;
        last = null;
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int seqLen() {
        return model.seqLen();
    }

    @Override
    public float[] forward(int token, int pos) {
        if (pos != nextPos) throw new IllegalStateException("positions must be fed in order: expected " + nextPos + ", got " + pos);
        if (token < 0 || token >= model.vocabSize()) throw new IllegalArgumentException("token " + token + " outside vocabulary");
        if (pos >= model.seqLen()) throw new IllegalArgumentException("position " + pos + " is past seq_len " + model.seqLen());
        long t0 = System.nanoTime();
        board.regWrite(BoardRegisters.TOKEN, token);
        board.regWrite(BoardRegisters.POS, pos);
        board.start();
        try {
            board.waitDone(maxCycles, timeoutMs);
        } catch (BoardTimeoutException e) {
            int pc = board.regRead(BoardRegisters.PC);
            board.softReset();
            arm();
            nextPos = Integer.MIN_VALUE; // this session's KV cache is incomplete: only a restart may feed again
            throw new BoardTimeoutException("decode step at position " + pos + " did not finish within "
                    + (maxCycles > 0 ? maxCycles + " cycles" : "") + (maxCycles > 0 && timeoutMs > 0 ? " or " : "")
                    + (timeoutMs > 0 ? timeoutMs + " ms" : "") + "; the sequencer was at program entry " + pc
                    + "; the board was soft-reset and takes a new session (" + e.getMessage() + ")");
        }
        long boardNanos = System.nanoTime() - t0;
        int status = board.regRead(BoardRegisters.STATUS);
        if ((status & BoardRegisters.STATUS_ERROR) != 0) {
            throw new IllegalStateException("the board reported error " + board.regRead(BoardRegisters.ERROR)
                    + " at program entry " + board.regRead(BoardRegisters.PC) + " (position " + pos + ")");
        }
        long cycles = (board.regRead(BoardRegisters.CYCLES_LO) & 0xFFFF_FFFFL)
                | (long) board.regRead(BoardRegisters.CYCLES_HI) << 32;
        argmax = board.regRead(BoardRegisters.ARGMAX);
        board.memRead(manifest.logits().base(), logitBytes, 0, logitBytes.length);
        ByteBuffer b = ByteBuffer.wrap(logitBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (b.getInt() / (double) (1 << FX));
        last = new StepCycles(pos, cycles, rooflineCycles(pos), boardNanos);
        nextPos = pos + 1;
        return logits;
    }

    /** The last step's logits in fx (Q15.16) as the board wrote them: what must equal the reference bit for bit. */
    public int[] logitsFx() {
        int[] fx = new int[logits.length];
        ByteBuffer.wrap(logitBytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(fx);
        return fx;
    }

    /** The last step, or null before the first. */
    public StepCycles lastStep() {
        return last;
    }

    /** The board's argmax of the last step's logits (ARGMAX register). */
    public int argmax() {
        return argmax;
    }

    /**
     * Cycles a perfect stream of the step's bytes takes at one full beat per cycle: every linear
     * layer's plan bits, plus the KV cache read (positions 0..pos, keys and values, codes and
     * 8-byte scales) and written at pos.
     */
    public long rooflineCycles(int pos) {
        long kvCodesBits = (long) model.kvDim() * model.kvBits() + 64L * model.kvHeads();
        long kvBits = (long) model.layers() * 2 * kvCodesBits * (pos + 2);
        int bus = manifest.bus();
        return (manifest.weightPlanBits() + kvBits + bus - 1) / bus;
    }
}
