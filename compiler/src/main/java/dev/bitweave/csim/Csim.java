package dev.bitweave.csim;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.pack.Manifest;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * C simulation of a build's HLS kernel against the Java integer reference: g++ builds hls/ (cached),
 * the test bench decodes greedily from BOS, and every position's logits must equal
 * IntegerTransformer's over the build's plan bit for bit, and ARGMAX its first largest logit. The
 * reference is fed the tokens the kernel was fed, so one wrong logit cannot hide behind another.
 */
public final class Csim {
    /** BOS of llama2.c tokenizers: greedy decoding starts from it. */
    public static final int BOS = 1;

    /** The first disagreement: a logit (index >= 0) or, with index -1, the argmax. */
    public record Mismatch(int pos, int index, long want, long got) {
    }

    public record Report(String board, int bus, int positions, int matched, List<Integer> ids, Optional<Mismatch> firstMismatch,
                         String kernelError, dev.bitweave.runtime.board.Drivers.Compiled executable, double runSeconds, double referenceSeconds) {
        public boolean allMatch() {
            return matched == positions && kernelError.isEmpty();
        }
    }

    private final CsimCompiler compiler;
    private final java.io.PrintStream progress;

    public Csim(CsimCompiler compiler, java.io.PrintStream progress) {
        this.compiler = compiler;
        this.progress = progress;
    }

    /** @throws BadInputException for a directory that is not a build, an image that fails its CRC, or positions out of range */
    public Report run(BuildDirectory build, int positions) throws IOException, InterruptedException {
        var model = build.plan();
        var config = model.plan().model();
        if (positions < 1 || positions > config.seqLen()) {
            throw new BadInputException("--tokens must be from 1 to the model's " + config.seqLen() + " positions, got " + positions);
        }
        for (String image : List.of(Manifest.WEIGHTS_IMG, Manifest.TABLES_IMG, Manifest.PROGRAM_IMG)) build.image(image); // CRC check
        progress.println("csim: g++ " + String.join(" ", CsimCompiler.FLAGS) + " on " + build.dir().resolve(BuildCompiler.HLS_DIR)
                + " (cached by source hash)");
        dev.bitweave.runtime.board.Drivers.Compiled exe = compiler.build(build.dir().resolve(BuildCompiler.HLS_DIR));
        TestBench.Result tb = TestBench.greedy(exe.output(), build.dir(), positions, BOS, config.vocabSize());

        long t0 = System.nanoTime();
        IntegerTransformer ref = new IntegerTransformer(model);
        int matched = 0;
        Mismatch first = null;
        List<Integer> ids = new ArrayList<>();
        for (TestBench.Step s : tb.steps()) {
            ref.forward(s.token(), s.pos());
            int[] want = ref.logitsFx();
            Mismatch m = null;
            for (int i = 0; i < want.length && m == null; i++) {
                if (want[i] != s.logits()[i]) m = new Mismatch(s.pos(), i, want[i], s.logits()[i]);
            }
            int best = 0;
            for (int i = 1; i < want.length; i++) if (want[i] > want[best]) best = i;
            if (m == null && best != s.argmax()) m = new Mismatch(s.pos(), -1, best, s.argmax());
            if (m == null) matched++;
            else if (first == null) first = m;
            ids.add(s.argmax());
        }
        double refSeconds = (System.nanoTime() - t0) / 1e9;
        return new Report(build.manifest().board().name(), build.manifest().hardware().bus(), positions, matched, ids,
                Optional.ofNullable(first), tb.error(), exe, tb.seconds(), refSeconds);
    }
}
