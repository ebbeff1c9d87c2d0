package dev.bitweave.quantize;

import dev.bitweave.quantize.mixed.MixedPrecision;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How to quantize a checkpoint: a default spec for every weight matrix, overrides selected by
 * glob patterns over canonical tensor names (later overrides win), activation and KV-cache widths.
 *
 * @param keepPreQuantized import GGUF Q8_0/Q4_0 tensors exactly instead of re-quantizing them
 * @param mixedPrecision   null, or per-tensor widths still to be chosen by sensitivity (quantize.mixed.MixedPrecisionSearch)
 */
public record Recipe(String name, LayerSpec weights, int activationBits, int kvBits, List<Override> overrides,
                     boolean keepPreQuantized, ActivationAware activationAware, LowRank lowRank,
                     ActivationAware formatChoice, MixedPrecision mixedPrecision, Salient salient,
                     AdaptiveActivations adaptiveActivations) {

    /**
     * Token-adaptive activation width (AdaptiveActivationCalibration), or null for fixed widths.
     *
     * @param lowBits  the width a vector without outliers takes (below the recipe's activation width)
     * @param fraction share of calibration vectors at each layer input that should take lowBits
     */
    public record AdaptiveActivations(int lowBits, double fraction, int calibrationTokens, long seed) {
    }

    /** This recipe with fixed activation widths. */
    public Recipe withFixedActivations() {
        return new Recipe(name, weights, activationBits, kvBits, overrides, keepPreQuantized, activationAware, lowRank,
                formatChoice, mixedPrecision, salient, null);
    }

    /**
     * Salient channels in an 8-bit side path (SalientChannels), or null for none.
     *
     * @param fraction share of each layer's input channels kept at 8 bits (at least one)
     */
    public record Salient(double fraction, int calibrationTokens, long seed) {
    }

    /** Low-rank error correction of every layer matrix (LowRankCorrection), or null for none. */
    public record LowRank(int rank) {
    }

    /**
     * Calibration settings of activationAware (per-channel scaling by calibration activations,
     * ActivationAwareScaling; null for plain RTN) and formatChoice (INT or FP per layer at the same
     * width, FormatChoice; null to keep the recipe's formats).
     *
     * @param calibrationTokens positions of the float model's own sampled text to calibrate on
     */
    public record ActivationAware(int calibrationTokens, long seed) {
    }

    /** A partial spec applied to tensors whose name matches the glob ('*' matches any run of characters). */
    public record Override(String match, Pattern pattern, java.util.function.UnaryOperator<LayerSpec> change) {
    }

    public LayerSpec specFor(String tensor) {
        LayerSpec s = weights;
        for (Override o : overrides) if (o.pattern().matcher(tensor).matches()) s = o.change().apply(s);
        return s;
    }

    public static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
