package dev.bitweave.backend.rtl;

import java.util.Locale;

/**
 * How much of one resource a design uses on a board.
 *
 * @param resource  display name with its unit: "LUTs", "FFs", "DSPs", "BRAM bits"...
 * @param used      what the design uses
 * @param available what the board has for it
 */
public record Utilization(String resource, long used, long available) {

    public boolean fits() {
        return used <= available;
    }

    /** used / available in percent; 0 when neither, infinite when the board has none but the design needs some. */
    public double percent() {
        if (available == 0) return used == 0 ? 0 : Double.POSITIVE_INFINITY;
        return 100.0 * used / available;
    }

    /** "119.7%", "0.0%", "n/a" (board has none). */
    public String percentText() {
        return Double.isInfinite(percent()) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", percent());
    }

    /** "LUTs 140,213 > 117,120 (+19.7%)" for an overflowing resource. */
    public String overflowText() {
        String by;
        if (available == 0) {
            by = "none available";
        } else {
            double over = percent() - 100;
            // A sliver over the budget must not read "+0.0%", which looks like it fits.
            by = over < 0.05 ? "+<0.1%" : String.format(Locale.ROOT, "+%.1f%%", over);
        }
        return resource + " " + grouped(used) + " > " + grouped(available) + " (" + by + ")";
    }

    /** 140213 as "140,213", whatever the default locale. */
    static String grouped(long n) {
        return String.format(Locale.US, "%,d", n);
    }
}
