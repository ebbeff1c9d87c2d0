package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.numerics.ActivationPrecision;
import dev.bitweave.plan.ActivationPolicy;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.DirectoryTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Thresholds of token-adaptive activation precision (docs/quantization.md, method 5). The plan is
 * first quantized with fixed widths; the integer model of that plan then runs the float model's own
 * sampled text, and at every layer input (q/k/v, o, gate/up, down) the peak-to-mean scores of the
 * vectors are collected. Each input's threshold is the score below which {@code fraction} of them
 * fall, so that share of the calibration vectors take the low width. Scores come from the integer
 * path itself, so they are the values the board computes. The classifier's input keeps its width:
 * it alone decides the next token.
 */
public final class AdaptiveActivationCalibration {
    private AdaptiveActivationCalibration() {
    }

    /** Policies by tensor name, for every layer tensor whose input is scored (sides and B factors follow their layer). */
    public static Map<String, ActivationPolicy> fit(Checkpoint ckpt, Recipe recipe, Consumer<PlanQuantizer.Progress> progress)
            throws IOException {
        Recipe.AdaptiveActivations a = recipe.adaptiveActivations();
        Path work = Files.createTempDirectory("bitweave-adaptive-");
        try {
            Path planDir = new PlanQuantizer(recipe.withFixedActivations(), progress)
                    .quantize(ckpt, work.resolve("plan"), false, Optional.empty());
            QuantizedModel model = PlanReader.load(planDir);
            IntegerTransformer it = new IntegerTransformer(model);
            Map<String, List<Integer>> scores = new HashMap<>();
            it.setActivationTap((tensor, x, bits) -> scores.computeIfAbsent(tensor, k -> new ArrayList<>()).add(ActivationPrecision.scoreQ8(x)));
            for (int[] s : Calibration.sequences(FloatTransformer.load(ckpt), a.calibrationTokens(), a.seed())) {
                for (int pos = 0; pos < s.length; pos++) it.forward(s[pos], pos);
            }
            return policies(ckpt.config(), scores, a);
        } finally {
            DirectoryTree.deleteQuietly(work);
        }
    }

    static Map<String, ActivationPolicy> policies(ModelConfig c, Map<String, List<Integer>> scores, Recipe.AdaptiveActivations a) {
        Map<String, ActivationPolicy> out = new HashMap<>();
        for (int l = 0; l < c.layers(); l++) {
            put(out, scores, a, TensorName.attnQ(l), TensorName.attnQ(l), TensorName.attnK(l), TensorName.attnV(l));
            put(out, scores, a, TensorName.attnOut(l), TensorName.attnOut(l));
            put(out, scores, a, TensorName.ffnGate(l), TensorName.ffnGate(l), TensorName.ffnUp(l));
            put(out, scores, a, TensorName.ffnDown(l), TensorName.ffnDown(l));
        }
        return Map.copyOf(out);
    }

    private static void put(Map<String, ActivationPolicy> out, Map<String, List<Integer>> scores, Recipe.AdaptiveActivations a,
                            String site, String... tensors) {
        ActivationPolicy p = new ActivationPolicy(a.lowBits(), threshold(scores.getOrDefault(site, List.of()), a.fraction()));
        for (String t : tensors) {
            out.put(t, p);
            out.put(TensorName.side(t), p);
            out.put(TensorName.lowRankB(t), p);
        }
    }

    /** The smallest threshold that sends at least round(fraction * n) of the scored vectors to the low width. */
    static int threshold(List<Integer> scores, double fraction) {
        int k = (int) Math.round(fraction * scores.size());
        if (k == 0) return 0;
        int[] sorted = scores.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(sorted);
        return sorted[k - 1];
    }
}
