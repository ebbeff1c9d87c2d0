package dev.bitweave.runtime.generate;

/**
 * How a run of the generate loop went.
 *
 * @param promptTokens  the encoded prompt, starting with BOS
 * @param forwardSteps  how many positions were fed to the decoder
 * @param stoppedAtBos  true when the loop ended because BOS was sampled (that step emits nothing)
 */
public record Generation(int[] promptTokens, int forwardSteps, boolean stoppedAtBos) {
}
