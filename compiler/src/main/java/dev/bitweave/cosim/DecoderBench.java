package dev.bitweave.cosim;

import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.reference.IntegerTransformer;

import dev.bitweave.runtime.api.StepCycles;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decode steps of a build on the simulated board, token after token (greedy), with the cycles of
 * each step against its roofline and the cycles of the last step by op kind. The figures of
 * docs/benchmarks.md's decoder tables.
 */
public final class DecoderBench {
    /** @param byOp cycles of the last step per op kind, in program order of first appearance */
    public record Result(String board, int bus, int firstPos, int positions, double meanCycles, double meanRoofline,
                         long lastCycles, long lastRoofline, Map<String, Long> byOp, double simSeconds, boolean bitExact) {
        public double meanEfficiency() {
            return meanRoofline / meanCycles;
        }

        public double lastEfficiency() {
            return lastRoofline / (double) lastCycles;
        }
    }

    private DecoderBench() {
    }

    /**
     * @param prefill positions the integer reference decodes first; its KV cache is then written to
     *                the board (SimDecoder.prefill) and the board decodes from there, its logits
     *                compared with the reference's at every step. 0: the board decodes from 0.
     */
    public static Result run(BuildDirectory build, int prefill, int positions, PrintStream progress) throws IOException {
        List<ProgramImage.Entry> program = ProgramImage.decode(build.image(Manifest.PROGRAM_IMG), Manifest.PROGRAM_IMG);
        IntegerTransformer ref = new IntegerTransformer(build.plan());
        int token = 1;
        for (int pos = 0; pos < prefill; pos++) {
            ref.forward(token, pos);
            token = argmax(ref.logitsFx());
        }
        if (prefill > 0) progress.printf("bench decoder: the reference decoded positions 0..%d%n", prefill - 1);
        long t0 = System.nanoTime();
        boolean exact = true;
        try (SimDecoder sim = SimDecoder.open(build, progress, Long.MAX_VALUE / 4)) {
            if (prefill > 0) sim.prefill(ref);
            for (int pos = prefill; pos < positions; pos++) {
                sim.forward(token, pos);
                ref.forward(token, pos);
                exact &= java.util.Arrays.equals(ref.logitsFx(), sim.logitsFx());
                token = sim.argmax();
                if (pos % 16 == 15 || pos == positions - 1) {
                    StepCycles s = sim.steps().get(pos - prefill);
                    progress.printf("bench decoder: position %d: %d cycles, roofline %d (%.3f)%n", pos, s.cycles(),
                            s.rooflineCycles(), s.rooflineCycles() / (double) s.cycles());
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long cycles = 0;
            long roof = 0;
            for (StepCycles s : sim.steps()) {
                cycles += s.cycles();
                roof += s.rooflineCycles();
            }
            long[] entries = sim.entryCycles();
            Map<String, Long> byOp = new LinkedHashMap<>();
            for (int i = 0; i < program.size(); i++) byOp.merge(kind(program.get(i)), entries[i], Long::sum);
            int n = sim.steps().size();
            StepCycles last = sim.steps().get(n - 1);
            return new Result(build.board().name(), build.manifest().hardware().bus(), prefill, positions, cycles / (double) n,
                    roof / (double) n, last.cycles(), last.rooflineCycles(), byOp, secs, exact);
        }
    }

    static int argmax(int[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    static String kind(ProgramImage.Entry e) {
        if (e instanceof ProgramImage.Linear || e instanceof ProgramImage.LinearTo) return "LINEAR";
        if (e instanceof ProgramImage.StoreVec) return "STORE_VEC";
        if (e instanceof ProgramImage.End) return "END";
        if (e instanceof ProgramImage.UnitOp u) {
            return switch (u.op()) {
                case ProgramImage.OP_EMBED -> "EMBED";
                case ProgramImage.OP_RMSNORM -> "RMSNORM";
                case ProgramImage.OP_QUANT -> "QUANT";
                case ProgramImage.OP_ROPE -> "ROPE";
                case ProgramImage.OP_KVSTORE -> "KVSTORE";
                case ProgramImage.OP_ATTN -> "ATTN";
                case ProgramImage.OP_SWIGLU -> "SWIGLU";
                default -> "op " + u.op();
            };
        }
        return e.getClass().getSimpleName();
    }
}
