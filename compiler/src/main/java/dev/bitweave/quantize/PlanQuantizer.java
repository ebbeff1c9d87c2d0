package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.PreQuantized;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.plan.ActivationPolicy;
import dev.bitweave.plan.PlanWriter;
import dev.bitweave.quantize.mixed.MixedPrecisionSearch;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
    private Optional<ActivationAwareScaling.Scales> lastScales = Optional.empty();
    private List<FormatChoice.Decision> lastFormats = List.of();

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
        Map<String, ActivationPolicy> policies = recipe.adaptiveActivations() == null ? Map.of()
                : AdaptiveActivationCalibration.fit(ckpt, recipe, progress);
        SalientChannels salient = null;
        if (recipe.salient() != null) {
            Recipe.Salient sa = recipe.salient();
            Calibration original = Calibration.sample(FloatTransformer.load(ckpt), sa.calibrationTokens(), sa.seed());
            salient = SalientChannels.choose(ckpt.config(), original, sa.fraction());
            ckpt = salient.permute(ckpt);
        }
        var tensors = ckpt.tensors();
        long total = 0;
        for (TensorShape t : tensors) total += 4 * t.elements();
        long done = 0;
        ActivationAwareScaling.Scales scales = null;
        Function<String, LayerSpec> specFor = recipe::specFor;
        Recipe.ActivationAware calibrated = recipe.activationAware() != null ? recipe.activationAware() : recipe.formatChoice();
        if (calibrated != null) {
            Calibration cal = Calibration.sample(FloatTransformer.load(ckpt), calibrated.calibrationTokens(), calibrated.seed());
            if (recipe.formatChoice() != null) {
                lastFormats = FormatChoice.choose(ckpt, specFor, cal);
                specFor = FormatChoice.apply(specFor, lastFormats);
            }
            if (recipe.activationAware() != null) {
                scales = ActivationAwareScaling.fit(ckpt, specFor, cal);
                lastScales = Optional.of(scales);
            }
        }
        try (PlanWriter w = new PlanWriter(out, replace)) {
            for (int i = 0; i < tensors.size(); i++) {
                TensorShape t = tensors.get(i);
                progress.accept(new Progress(i, tensors.size(), t.name(), done, total));
                if (TensorName.isNorm(t.name())) {
                    float[] g = ckpt.readFiniteFloat(t.name());
                    w.addVector(t.name(), toFx(scales == null ? g : scales.gains(t.name(), g)));
                } else {
                    LayerSpec spec = specFor.apply(t.name());
                    int sideColumns = salient == null ? 0 : salient.sideColumns(t.name(), ckpt.config());
                    Quantized q = quantizeMatrix(ckpt, t, spec, scales, sideColumns);
                    ActivationPolicy policy = policies.get(t.name());
                    w.addMatrix(q.tensor(), spec.activationBits(), policy);
                    if (q.side() != null) w.addMatrix(q.side(), spec.activationBits(), policy);   // the first input codes, at 8-bit weights
                    if (recipe.lowRank() != null && t.name().startsWith("blk.")) {
                        int rank = Math.min(recipe.lowRank().rank(), Math.min(t.rows(), t.cols()) / 2);
                        LowRankCorrection.Factors f = LowRankCorrection.fit(t.name(), q.source(), q.tensor(), rank);
                        w.addMatrix(f.b(), spec.activationBits(), policy);   // B reads the layer's own input codes
                        w.addMatrix(f.a(), 8);                       // A reads B x requantized to 8 bits
                    }
                }
                done += 4 * t.elements();
            }
            if (vocabulary.isPresent()) w.addVocabulary(vocabulary.get());
            progress.accept(new Progress(tensors.size(), tensors.size(), "", total, total));
            return w.finish(ckpt.config(), recipe.activationBits(), recipe.kvBits(), recipe.name(), ckpt.source());
        }
    }

    /** The per-layer formats the last quantize chose (recipes with formatChoice only). */
    public List<FormatChoice.Decision> lastFormats() {
        return lastFormats;
    }

    /** The scalings the last quantize chose (activation-aware recipes only). */
    public Optional<ActivationAwareScaling.Scales> lastScales() {
        return lastScales;
    }

    /** A rounded matrix, the fp32 values it rounds (after any scaling), and its side path or null. */
    private record Quantized(QuantTensor tensor, float[] source, QuantTensor side) {
        Quantized(QuantTensor tensor, float[] source) {
            this(tensor, source, null);
        }
    }

    private Quantized quantizeMatrix(Checkpoint ckpt, TensorShape t, LayerSpec spec, ActivationAwareScaling.Scales scales,
                                     int sideColumns) throws IOException {
        if (sideColumns > 0) {
            float[] w = ckpt.readFiniteFloat(t.name());
            if (scales != null) w = scales.matrix(t.name(), w, t.rows(), t.cols());
            float[][] split = SalientChannels.split(w, t.rows(), t.cols(), sideColumns);
            WeightSpec int8 = new WeightSpec(ElementFormat.INT, 8, true, sideColumns, ScaleEncoding.MUL_SHIFT, 16);
            QuantTensor side = new RoundToNearest(int8).quantize(TensorName.side(t.name()), split[1], t.rows(), sideColumns);
            double clip = scales == null ? 1.0 : scales.clip(t.name());
            return new Quantized(new RoundToNearest(spec.forColumns(t.cols())).quantize(t.name(), split[0], t.rows(), t.cols(), clip),
                    split[0], side);
        }
        float[] w = ckpt.readFiniteFloat(t.name());
        if (recipe.keepPreQuantized()) {
            Optional<PreQuantized> pq = ckpt.preQuantized(t.name());
            if (pq.isPresent()) {
                Optional<QuantTensor> exact = PreQuantizedImport.convert(t.name(), pq.get());
                if (exact.isPresent()) return new Quantized(exact.get(), w);
            }
        }
        if (scales == null) return new Quantized(new RoundToNearest(spec.forColumns(t.cols())).quantize(t.name(), w, t.rows(), t.cols()), w);
        float[] scaled = scales.matrix(t.name(), w, t.rows(), t.cols());
        return new Quantized(new RoundToNearest(spec.forColumns(t.cols())).quantize(t.name(), scaled, t.rows(), t.cols(),
                scales.clip(t.name())), scaled);
    }

    /** Norm weights as fx: round(w * 2^16), saturated. */
    static int[] toFx(float[] w) {
        int[] q = new int[w.length];
        for (int i = 0; i < w.length; i++) q[i] = Fixed.sat32(Math.round((double) w[i] * Fixed.FX_ONE));
        return q;
    }
}
