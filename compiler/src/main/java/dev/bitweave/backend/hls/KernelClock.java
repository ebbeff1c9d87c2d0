package dev.bitweave.backend.hls;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The kernel clock in the units each tool wants: Vitis HLS create_clock takes a period in ns,
 * v++ takes Hz, Vivado's PS clock properties take MHz.
 *
 * @param mhz the board's kernelClockMHz
 */
public record KernelClock(double mhz) {
    public KernelClock {
        if (!(mhz > 0 && mhz <= 1000)) throw new IllegalArgumentException("kernel clock " + mhz + " MHz: expected (0, 1000]");
    }

    /**
     * Period in ns, three decimals, rounded down: a period a hair short makes HLS schedule for a
     * slightly faster clock, which is safe, while a longer one could miss the board's clock.
     */
    public String periodNs() {
        return new BigDecimal(1000.0 / mhz).setScale(3, RoundingMode.DOWN).stripTrailingZeros().toPlainString();
    }

    /** Whole Hz, as v++ clock options want them. */
    public long hz() {
        return Math.round(mhz * 1e6);
    }

    /** MHz without a trailing ".0" (Vivado properties and text). */
    public String mhzText() {
        return BigDecimal.valueOf(mhz).stripTrailingZeros().toPlainString();
    }
}
