package dev.bitweave.runtime.api;

/**
 * One decode step on the board.
 *
 * @param pos            the position fed
 * @param cycles         kernel cycles of the step (CYCLES register)
 * @param rooflineCycles cycles a perfect stream of the step's bytes takes at one full beat per
 *                       cycle: the linear layers' plan bits plus the KV cache read and written
 * @param boardNanos     wall-clock time from start to done, including the driver's calls
 */
public record StepCycles(int pos, long cycles, long rooflineCycles, long boardNanos) {
}
