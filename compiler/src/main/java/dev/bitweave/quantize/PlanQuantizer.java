package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.PreQuantized;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.plan.PlanWriter;
import dev.bitweave.quantize.mixed.MixedPrecisionSearch;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checkpoint + recipe -> plan directory, one tensor at a time: read it, quantize it, append it to
 * tensors.bin, drop it. Peak heap is one fp32 tensor plus its codes.
 */
public final class PlanQuantizer {
    /** Progress of one tensor, for the CLI's progress line. */
    public record Progress(int index, int count, String tensor, long bytesDone, long bytesTotal) {
    }

    private final Recipe recipe;
    private final Consumer<Progress> progress;

    public PlanQuantizer(Recipe recipe, Consumer<Progress> progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    public Path quantize(Checkpoint ckpt, Path out, boolean replace) throws IOException {
        return quantize(ckpt, out, replace, ckpt.vocabulary());
    }

    /** @param vocabulary stored in the plan as tokenizer.bin when present */
    public Path quantize(Checkpoint ckpt, Path out, boolean replace, Optional<Vocabulary> vocabulary) throws IOException {
        if (recipe.mixedPrecision() != null) {
            return new PlanQuantizer(MixedPrecisionSearch.run(ckpt, recipe).recipe(), progress).quantize(ckpt, out, replace, vocabulary);
        }
        var tensors = ckpt.tensors();
        long total = 0;
        for (TensorShape t : tensors) total += 4 * t.elements();
        long done = 0;
        try (PlanWriter w = new PlanWriter(out, replace)) {
            for (int i = 0; i < tensors.size(); i++) {
                TensorShape t = tensors.get(i);
                progress.accept(new Progress(i, tensors.size(), t.name(), done, total));
                if (TensorName.isNorm(t.name())) {
                    w.addVector(t.name(), toFx(ckpt.readFiniteFloat(t.name())));
                } else {
                    LayerSpec spec = recipe.specFor(t.name());
                    w.addMatrix(quantizeMatrix(ckpt, t, spec), spec.activationBits());
                }
                done += 4 * t.elements();
            }
            if (vocabulary.isPresent()) w.addVocabulary(vocabulary.get());
            progress.accept(new Progress(tensors.size(), tensors.size(), "", total, total));
            return w.finish(ckpt.config(), recipe.activationBits(), recipe.kvBits(), recipe.name(), ckpt.source());
        }
    }

    private QuantTensor quantizeMatrix(Checkpoint ckpt, TensorShape t, LayerSpec spec) throws IOException {
        if (recipe.keepPreQuantized()) {
            Optional<PreQuantized> pq = ckpt.preQuantized(t.name());
            if (pq.isPresent()) {
                Optional<QuantTensor> exact = PreQuantizedImport.convert(t.name(), pq.get());
                if (exact.isPresent()) return exact.get();
            }
        }
        float[] w = ckpt.readFiniteFloat(t.name());
        return new RoundToNearest(spec.forColumns(t.cols())).quantize(t.name(), w, t.rows(), t.cols());
    }

    /** Norm weights as fx: round(w * 2^16), saturated. */
    static int[] toFx(float[] w) {
        int[] q = new int[w.length];
        for (int i = 0; i < w.length; i++) q[i] = Fixed.sat32(Math.round((double) w[i] * Fixed.FX_ONE));
        return q;
    }
}
