package dev.bitweave.runtime.api;

/**
 * What loading a build's images into board memory took ({@link Accelerator#loadStats()}).
 *
 * @param bytes        bytes of all images
 * @param writeNanos   wall-clock time of the chunked writes (host to board memory)
 * @param verifyNanos  wall-clock time of the chunked read-back and its CRC-32 checks
 */
public record LoadStats(long bytes, long writeNanos, long verifyNanos) {
    /** Write throughput in MB/s (10^6 bytes per second). */
    public double writeMBps() {
        return writeNanos == 0 ? 0 : bytes * 1e3 / writeNanos;
    }

    /** Read-back and CRC-32 throughput in MB/s. */
    public double verifyMBps() {
        return verifyNanos == 0 ? 0 : bytes * 1e3 / verifyNanos;
    }
}
