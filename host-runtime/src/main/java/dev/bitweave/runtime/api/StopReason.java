package dev.bitweave.runtime.api;

/** Why a session ended. */
public enum StopReason {
    /** The step budget (SessionOptions.steps, or seq_len) was used up. */
    STEPS,
    /** BOS was sampled: the model ended its text. */
    BOS,
    /** EOS was sampled and SessionOptions.stopAtEos is set. */
    EOS,
    /** The generated text completed SessionOptions.stop. */
    STOP_STRING,
    /** cancel() or close() was called. */
    CANCELLED,
    /** A step failed; next() threw the exception. */
    ERROR
}
