package dev.bitweave.runtime.api;

/**
 * What one decode step cost.
 *
 * @param cycles         kernel cycles of the step (CYCLES register); -1 when the decoder does not count
 * @param rooflineCycles cycles of the step's bytes at one full beat per cycle; -1 when unknown
 * @param boardNanos     wall-clock time from start to done on the board, driver calls included
 * @param hostNanos      the rest of the step on the host: reading logits, sampling, detokenizing
 */
public record TokenStats(long cycles, long rooflineCycles, long boardNanos, long hostNanos) {
}
