package dev.bitweave.quantize.mixed;

import java.util.List;

/**
 * A recipe's request to choose each weight matrix's bit width by measured sensitivity
 * (docs/quantization.md, "Mixed precision by sensitivity").
 *
 * @param targetBits  average bits per weight as packed (codes + per-group scale fields), weighted by elements
 * @param candidates  widths a matrix may get, ascending
 * @param calibration the token sequence the sensitivities are measured on
 */
public record MixedPrecision(double targetBits, List<Integer> candidates, Calibration calibration) {
    /** The widths the MAC array runs. */
    public static final List<Integer> HARDWARE_WIDTHS = List.of(2, 3, 4, 8);

    /**
     * The float model samples its own continuation of BOS (run.c's sampler, no top-p) for
     * {@code positions} positions (capped at seq_len).
     */
    public record Calibration(int positions, float temperature, long seed) {
        public static final Calibration DEFAULT = new Calibration(128, 1.0f, 42);
    }
}
