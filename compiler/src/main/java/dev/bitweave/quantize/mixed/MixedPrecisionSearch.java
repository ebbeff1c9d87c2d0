package dev.bitweave.quantize.mixed;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.quantize.LayerSpec;
import dev.bitweave.quantize.Recipe;
import dev.bitweave.quantize.RoundToNearest;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Resolves a recipe's {@code mixedPrecision} into per-tensor widths: every int weight matrix is
 * quantized (RTN, the recipe's own spec with only the width changed) at every candidate width, the
 * whole float model's output change is measured with only that matrix lowered
 * ({@link SensitivityProbe}), and {@link BitAllocation} picks the widths that meet the target
 * average. The result is a plain recipe: the original plus one exact-name override per matrix.
 */
public final class MixedPrecisionSearch {
    /** @param recipe the resolved recipe (no mixedPrecision left), ready for PlanQuantizer */
    public record Result(Recipe recipe, BitAllocation.Result allocation) {
    }

    private MixedPrecisionSearch() {
    }

    public static Result run(Checkpoint ckpt, Recipe recipe) throws IOException {
        return run(ckpt, recipe, msg -> { });
    }

    /** @param progress one message per matrix measured */
    public static Result run(Checkpoint ckpt, Recipe recipe, Consumer<String> progress) throws IOException {
        MixedPrecision mp = recipe.mixedPrecision();
        if (mp == null) throw new IllegalArgumentException("recipe " + recipe.name() + " has no mixedPrecision");
        // the budget is checked before anything is measured: packed sizes depend on shapes and specs only
        List<TensorShape> matrices = ckpt.tensors().stream().filter(t -> !TensorName.isNorm(t.name())).toList();
        long narrowest = 0;
        long elements = 0;
        for (TensorShape t : matrices) {
            LayerSpec spec = recipe.specFor(t.name());
            narrowest += packedBits(spec.format() == ElementFormat.INT ? withBits(spec, mp.candidates().get(0)) : spec, t);
            elements += t.elements();
        }
        double min = narrowest / (double) elements;
        if (min > mp.targetBits()) {
            throw new BadInputException("recipe " + recipe.name() + ": $.mixedPrecision.targetBits: " + mp.targetBits()
                    + " is below the smallest average these widths reach on " + ckpt.source()
                    + String.format(" (%.4f bits per weight as packed, every matrix at its narrowest width)", min));
        }
        Map<String, float[]> weights = new HashMap<>();
        for (TensorShape t : ckpt.tensors()) weights.put(t.name(), ckpt.readFiniteFloat(t.name()));
        FloatTransformer floatModel = FloatTransformer.load(new SubstitutedCheckpoint(ckpt, weights, "", null));
        SensitivityProbe probe = new SensitivityProbe(ckpt, weights, CalibrationSequence.sample(floatModel, mp.calibration()));
        List<BitAllocation.Candidates> candidates = new ArrayList<>();
        for (TensorShape t : matrices) {
            LayerSpec spec = recipe.specFor(t.name());
            List<BitAllocation.Option> options = new ArrayList<>();
            if (spec.format() != ElementFormat.INT) {
                // fixed by an override (a float format): counted in the budget, not searched
                options.add(new BitAllocation.Option(spec.bits(), packedBits(spec, t), 0));
            } else {
                for (int bits : mp.candidates()) {
                    LayerSpec s = withBits(spec, bits);
                    WeightSpec ws = s.forColumns(t.cols());
                    double[] d = new RoundToNearest(ws).quantize(t.name(), weights.get(t.name()), t.rows(), t.cols()).dequantize();
                    float[] q = new float[d.length];
                    for (int i = 0; i < d.length; i++) q[i] = (float) d[i];
                    options.add(new BitAllocation.Option(bits, packedBits(s, t), probe.meanKl(t.name(), q)));
                }
            }
            candidates.add(new BitAllocation.Candidates(t.name(), t.elements(), options));
            progress.accept("sensitivity of " + t.name() + ": " + options.stream()
                    .map(o -> o.bits() + "-bit KL " + String.format("%.5f", o.kl())).toList());
        }
        BitAllocation.Result allocation = BitAllocation.choose(candidates, mp.targetBits());
        List<Recipe.Override> overrides = new ArrayList<>(recipe.overrides());
        for (BitAllocation.Choice c : allocation.choices()) {
            int bits = c.option().bits();
            overrides.add(new Recipe.Override(c.tensor(), Pattern.compile(Pattern.quote(c.tensor())),
                    s -> s.format() == ElementFormat.INT ? withBits(s, bits) : s));
        }
        Recipe resolved = new Recipe(recipe.name(), recipe.weights(), recipe.activationBits(), recipe.kvBits(), overrides,
                recipe.keepPreQuantized(), recipe.activationAware(), recipe.lowRank(), recipe.formatChoice(), null, recipe.salient(),
                recipe.adaptiveActivations());
        return new Result(resolved, allocation);
    }

    private static LayerSpec withBits(LayerSpec s, int bits) {
        return new LayerSpec(s.format(), bits, s.symmetric(), s.groupSize(), s.scaleEncoding(), s.scaleBits(), s.activationBits());
    }

    private static long packedBits(LayerSpec s, TensorShape t) {
        return LinearLayout.planBits(s.forColumns(t.cols()), t.rows(), t.cols());
    }
}
