package dev.bitweave.cli;

import dev.bitweave.quantize.PlanQuantizer;

import java.io.PrintStream;

/** One self-overwriting progress line on stderr (a plain line per 10 % when not on a terminal). */
final class ProgressLine {
    private final PrintStream err;
    private final String what;
    private final boolean terminal = System.console() != null;
    private int lastPercent = -1;

    ProgressLine(PrintStream err, String what) {
        this.err = err;
        this.what = what;
    }

    void update(PlanQuantizer.Progress p) {
        int pct = p.bytesTotal() == 0 ? 100 : (int) (100 * p.bytesDone() / p.bytesTotal());
        if (terminal) {
            err.printf("\r%s [%-30s] %3d%% %d/%d %-24s", what, "#".repeat(pct * 30 / 100), pct, p.index(), p.count(), p.tensor());
        } else if (pct / 10 != lastPercent / 10) {
            err.printf("%s %3d%% (%d/%d tensors)%n", what, pct, p.index(), p.count());
        }
        lastPercent = pct;
        err.flush();
    }

    /** Bytes of a load: image being written, bytes done out of all. */
    void bytes(String item, long done, long total) {
        int pct = total == 0 ? 100 : (int) (100 * done / total);
        if (terminal) {
            err.printf("\r%s [%-30s] %3d%% %.1f/%.1f MB %-16s", what, "#".repeat(pct * 30 / 100), pct, done / 1e6, total / 1e6, item);
        } else if (lastPercent < 0 || pct / 10 != lastPercent / 10) {
            err.printf("%s %3d%% (%d/%d bytes, %s)%n", what, pct, done, total, item);
        }
        lastPercent = pct;
        err.flush();
    }

    void done() {
        if (terminal) err.println();
    }
}
