package dev.bitweave.runtime.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Totals of the per-token statistics of a session ({@link TokenStats}), for the statistics line
 * of `run`, its `--json` record and the final event of `serve`. Not thread-safe.
 */
public final class SessionStats {
    private int tokens;
    private long cycles;
    private long rooflineCycles;
    private long boardNanos;
    private long hostNanos;
    private long hostNanosMax;

    /** Adds one token's statistics; tokens from a decoder that does not count cycles add times only. */
    public void add(TokenStats s) {
        tokens++;
        if (s.cycles() > 0) cycles += s.cycles();
        if (s.rooflineCycles() > 0) rooflineCycles += s.rooflineCycles();
        boardNanos += s.boardNanos();
        hostNanos += s.hostNanos();
        hostNanosMax = Math.max(hostNanosMax, s.hostNanos());
    }

    public int tokens() {
        return tokens;
    }

    public double cyclesPerToken() {
        return tokens == 0 ? 0 : cycles / (double) tokens;
    }

    /** Roofline cycles over cycles taken: 1.0 is a perfect stream of the step's bytes. */
    public double rooflineFraction() {
        return cycles == 0 ? 0 : rooflineCycles / (double) cycles;
    }

    /** Tokens per second the mean cycle count gives at clockMHz (a projection: assumes timing closes there). */
    public double projectedTokensPerSecond(double clockMHz) {
        return cycles == 0 ? 0 : clockMHz * 1e6 / cyclesPerToken();
    }

    /** Wall-clock milliseconds per token on the board (start to done, driver calls included; simulation time on sim). */
    public double boardMsPerToken() {
        return tokens == 0 ? 0 : boardNanos / 1e6 / tokens;
    }

    /** Milliseconds per token on the host: reading logits, sampling, detokenizing, the session's bookkeeping. */
    public double hostMsPerToken() {
        return tokens == 0 ? 0 : hostNanos / 1e6 / tokens;
    }

    public double hostMsMax() {
        return hostNanosMax / 1e6;
    }

    /** The summary as JSON-ready fields (snake_case), with the load statistics when given. */
    public Map<String, Object> toMap(double clockMHz, LoadStats load) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", tokens);
        m.put("cycles_per_token", round(cyclesPerToken(), 1));
        m.put("roofline_fraction", round(rooflineFraction(), 4));
        m.put("clock_mhz", clockMHz);
        m.put("projected_tokens_per_s", round(projectedTokensPerSecond(clockMHz), 2));
        m.put("board_ms_per_token", round(boardMsPerToken(), 4));
        m.put("host_ms_per_token", round(hostMsPerToken(), 4));
        m.put("host_ms_max", round(hostMsMax(), 4));
        if (load != null) {
            m.put("load_bytes", load.bytes());
            m.put("load_write_mb_per_s", round(load.writeMBps(), 2));
            m.put("load_verify_mb_per_s", round(load.verifyMBps(), 2));
        }
        return m;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
