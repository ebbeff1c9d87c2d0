package dev.bitweave.cosim;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.numerics.KvCache;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.KvLayout;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.MemoryMap;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.api.BoardDecoder;
import dev.bitweave.runtime.api.CompiledBuild;
import dev.bitweave.runtime.api.StepCycles;
import dev.bitweave.runtime.board.Board;
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
 * Whole decode steps on the simulated board for the tools that look inside it (bench decoder, the
 * demo, DecoderCosimTest): the host runtime's {@link BoardDecoder} runs the steps; this class adds
 * what only tools need: every step's cycles, the per-entry cycles of the STATS area, and a KV
 * prefill from the reference so a benchmark can start at a late position without simulating the
 * earlier ones.
 */
public final class SimDecoder implements Decoder, AutoCloseable {
    private final ModelConfig config;
    private final Board hw;
    private final BoardDecoder decoder;
    private final MemoryMap mem;
    private final int bus;
    private final double clockMHz;
    private final List<StepCycles> steps = new ArrayList<>();

    /** @param maxCycles a step that runs longer ends with an error naming the program entry reached */
    public static SimDecoder open(BuildDirectory build, PrintStream progress, long maxCycles) throws IOException {
        SimLibrary lib = SimBoardBuilder.forRtl(build.rtl()).progress(progress).build();
        return new SimDecoder(build, lib, maxCycles);
    }

    SimDecoder(BuildDirectory build, SimLibrary lib, long maxCycles) throws IOException {
        Manifest m = build.manifest();
        this.config = build.plan().plan().model();
        this.clockMHz = m.board().kernelClockMHz();
        this.mem = m.memory();
        this.bus = m.hardware().bus();
        this.hw = lib.open(BoardSession.simConfig(m, build.board()));
        try {
            this.decoder = BoardDecoder.load(hw, CompiledBuild.open(build.dir()), maxCycles, 600_000);
        } catch (RuntimeException e) {
            hw.close();
            throw e;
        }
    }

    @Override
    public int vocabSize() {
        return decoder.vocabSize();
    }

    @Override
    public int seqLen() {
        return decoder.seqLen();
    }

    @Override
    public float[] forward(int token, int pos) {
        float[] logits = decoder.forward(token, pos);
        steps.add(decoder.lastStep());
        return logits;
    }

    /**
     * Writes the reference's KV cache (positions 0 .. ref.nextPos() - 1) into board memory in the
     * layout of docs/decoder.md, so that decoding continues at ref.nextPos() without simulating the
     * earlier steps. Keys are stored with the scale step_k * invSqrt(headSize), as KVSTORE does.
     */
    public void prefill(IntegerTransformer ref) {
        if (!steps.isEmpty()) throw new IllegalStateException("prefill before the first step");
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
        decoder.resumeAt(positions);
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
        return decoder.logitsFx();
    }

    /** The board's argmax of the last step's logits (ARGMAX register). */
    public int argmax() {
        return decoder.argmax();
    }

    /** The board's default kernel clock, for projections. */
    public double clockMHz() {
        return clockMHz;
    }

    public List<StepCycles> steps() {
        return List.copyOf(steps);
    }

    public long rooflineCycles(int pos) {
        return decoder.rooflineCycles(pos);
    }

    @Override
    public void close() {
        hw.close();
    }
}
