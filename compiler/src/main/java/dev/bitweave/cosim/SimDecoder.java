package dev.bitweave.cosim;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.MemoryMap;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.KvCache;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.KvLayout;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimLibrary;
import dev.bitweave.runtime.generate.Decoder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole decode step on the simulated board (docs/decoder.md): the build's images are loaded
 * once; each {@link #forward} writes TOKEN and POS, starts program.img and reads the logits back.
 * Keeps the cycles of every step for the statistics `run --backend sim` prints.
 */
public final class SimDecoder implements Decoder, AutoCloseable {
    /** Per step: simulated cycles, and the roofline cycles of the bytes that step must move. */
    public record StepCycles(int pos, long cycles, long rooflineCycles) {
    }

    private final ModelConfig config;
    private final Board hw;
    private final MemoryMap mem;
    private final int bus;
    private final long maxCycles;
    private final long weightBits;
    private final int kvBits;
    private final double clockMHz;
    private final float[] logits;
    private final int[] logitsFx;
    private final List<StepCycles> steps = new ArrayList<>();
    private int nextPos;
    private int argmax;

    /** @param maxCycles a step that runs longer ends with an error naming the program entry reached */
    public static SimDecoder open(BuildDirectory build, PrintStream progress, long maxCycles) throws IOException {
        SimLibrary lib = SimBoardBuilder.forRtl(build.rtl()).progress(progress).build();
        return new SimDecoder(build, lib, maxCycles);
    }

    SimDecoder(BuildDirectory build, SimLibrary lib, long maxCycles) throws IOException {
        Manifest m = build.manifest();
        var plan = build.plan().plan();
        this.config = plan.model();
        this.kvBits = plan.kvBits();
        this.clockMHz = m.board().kernelClockMHz();
        this.mem = m.memory();
        this.bus = m.hardware().bus();
        this.maxCycles = maxCycles;
        long bits = 0;
        for (Manifest.Layer l : m.layers()) bits += l.layout().planBits();
        this.weightBits = bits;
        this.hw = lib.open(BoardSession.simConfig(m, build.board()));
        try {
            hw.memWrite(mem.weights().base(), build.image(Manifest.WEIGHTS_IMG));
            hw.memWrite(mem.tables().base(), build.image(Manifest.TABLES_IMG));
            hw.memWrite(mem.program().base(), build.image(Manifest.PROGRAM_IMG));
        } catch (IOException | RuntimeException e) {
            hw.close();
            throw e;
        }
        hw.regWrite(BoardRegisters.PROG_LO, (int) mem.program().base());
        hw.regWrite(BoardRegisters.PROG_HI, (int) (mem.program().base() >>> 32));
        hw.regWrite(BoardRegisters.PROG_LEN, (int) (mem.program().size() / ProgramImage.ENTRY_BYTES));
        hw.regWrite(BoardRegisters.STATS_LO, (int) mem.stats().base());
        hw.regWrite(BoardRegisters.STATS_HI, (int) (mem.stats().base() >>> 32));
        this.logits = new float[config.vocabSize()];
        this.logitsFx = new int[config.vocabSize()];
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int seqLen() {
        return config.seqLen();
    }

    @Override
    public float[] forward(int token, int pos) {
        if (pos != nextPos) throw new IllegalStateException("positions must be fed in order: expected " + nextPos + ", got " + pos);
        if (token < 0 || token >= config.vocabSize()) throw new IllegalArgumentException("token " + token + " outside vocabulary");
        hw.regWrite(BoardRegisters.TOKEN, token);
        hw.regWrite(BoardRegisters.POS, pos);
        hw.start();
        try {
            hw.waitDone(maxCycles, 600_000);
        } catch (BoardTimeoutException e) {
            throw new BoardTimeoutException("decode step at position " + pos + " did not finish within " + maxCycles
                    + " cycles; the sequencer was at program entry " + hw.regRead(BoardRegisters.PC));
        }
        int status = hw.regRead(BoardRegisters.STATUS);
        if ((status & 4) != 0) {
            throw new IllegalStateException("the board reported error " + hw.regRead(BoardRegisters.ERROR) + " at program entry "
                    + hw.regRead(BoardRegisters.PC) + " (position " + pos + ")");
        }
        long cycles = (hw.regRead(BoardRegisters.CYCLES_LO) & 0xFFFF_FFFFL) | (long) hw.regRead(BoardRegisters.CYCLES_HI) << 32;
        steps.add(new StepCycles(pos, cycles, rooflineCycles(pos)));
        nextPos = pos + 1;
        argmax = hw.regRead(BoardRegisters.ARGMAX);
        int[] fx = ActivationBlock.decodeOutput(hw.memRead(mem.logits().base(), 4 * logits.length), 0, logits.length);
        System.arraycopy(fx, 0, logitsFx, 0, fx.length);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (logitsFx[i] / (double) Fixed.FX_ONE);
        return logits;
    }

    /**
     * Writes the reference's KV cache (positions 0 .. ref.nextPos() - 1) into board memory in the
     * layout of docs/decoder.md, so that decoding continues at ref.nextPos() without simulating the
     * earlier steps. Keys are stored with the scale step_k * invSqrt(headSize), as KVSTORE does.
     */
    public void prefill(IntegerTransformer ref) {
        if (nextPos != 0) throw new IllegalStateException("prefill before the first step");
        int hs = config.headSize();
        Scale keyMul = Scale.invSqrt(hs, 0);
        KvLayout kv = KvLayout.of(config);
        long base = mem.kv().base();
        int positions = ref.nextPos();
        for (int l = 0; l < config.layers(); l++) {
            KvCache c = ref.kvCache(l);
            for (int h = 0; h < config.kvHeads(); h++) {
                ByteBuffer kc = ByteBuffer.allocate(positions * hs);
                ByteBuffer vc = ByteBuffer.allocate(positions * hs);
                ByteBuffer ks = ByteBuffer.allocate(positions * 8).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer vs = ByteBuffer.allocate(positions * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int t = 0; t < positions; t++) {
                    for (int code : c.keyCodes(t, h)) kc.put((byte) code);
                    for (int code : c.valueCodes(t, h)) vc.put((byte) code);
                    Scale k = c.keyStep(t, h).times(keyMul);
                    ks.putInt((int) k.mant()).putInt(k.mant() == 0 ? 0 : k.exp());
                    Scale v = c.valueStep(t, h);
                    vs.putInt((int) v.mant()).putInt(v.mant() == 0 ? 0 : v.exp());
                }
                long row = (long) h * config.seqLen();
                hw.memWrite(base + kv.keyCodes(l) + row * hs, kc.array());
                hw.memWrite(base + kv.valueCodes(l) + row * hs, vc.array());
                hw.memWrite(base + kv.keyScales(l) + row * 8, ks.array());
                hw.memWrite(base + kv.valueScales(l) + row * 8, vs.array());
            }
        }
        nextPos = positions;
    }

    /** Cycles of every program entry of the last step (the STATS area), in program order. */
    public long[] entryCycles() {
        int entries = (int) (mem.program().size() / ProgramImage.ENTRY_BYTES);
        int slot = MemoryMap.statsSlotBytes(bus);
        ByteBuffer b = ByteBuffer.wrap(hw.memRead(mem.stats().base(), slot * entries)).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[entries];
        for (int i = 0; i < entries; i++) out[i] = b.getLong(i * slot);
        return out;
    }

    /** The last step's logits in fx, as the board wrote them. */
    public int[] logitsFx() {
        return logitsFx.clone();
    }

    /** The board's argmax of the last step's logits (ARGMAX register). */
    public int argmax() {
        return argmax;
    }

    /** The board's default kernel clock, for projections. */
    public double clockMHz() {
        return clockMHz;
    }

    public List<StepCycles> steps() {
        return List.copyOf(steps);
    }

    /**
     * Cycles a perfect stream of the step's bytes takes at one full beat per cycle: every linear
     * layer's plan bits, plus the KV cache read (positions 0..pos, keys and values, codes and
     * 8-byte scales) and written at pos.
     */
    public long rooflineCycles(int pos) {
        long kvCodesBits = (long) config.kvDim() * kvBits + 64L * config.kvHeads();   // one position, keys or values
        long kvBits = (long) config.layers() * 2 * kvCodesBits * (pos + 2);
        return (weightBits + kvBits + bus - 1) / bus;
    }

    @Override
    public void close() {
        hw.close();
    }
}
