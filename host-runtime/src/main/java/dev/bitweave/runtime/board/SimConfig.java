package dev.bitweave.runtime.board;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The simulated board's memory model as a value; {@link #toString()} is the config string
 * for {@link Board#open}. docs/board-abi.md defines each key.
 *
 * @param memBytes       board memory size in bytes
 * @param latency        cycles from a read request (or a write's last beat) to its first beat (response)
 * @param bytesPerCycle  bandwidth per direction in bytes per cycle, capped at BUS/8; 0 for the full bus
 * @param maxOutstanding bursts in flight per direction
 * @param trace          FST waveform file, for a library built with tracing
 */
public record SimConfig(long memBytes, int latency, double bytesPerCycle, int maxOutstanding, Optional<Path> trace) {
    public static final SimConfig DEFAULT = new SimConfig(256L << 20, 32, 0, 8, Optional.empty());

    public SimConfig {
        if (memBytes <= 0 || latency < 1 || bytesPerCycle < 0 || maxOutstanding < 1) {
            throw new IllegalArgumentException("bad simulated board config: memBytes=" + memBytes + ", latency=" + latency
                    + ", bytesPerCycle=" + bytesPerCycle + ", maxOutstanding=" + maxOutstanding);
        }
        if (trace.isPresent() && trace.get().toString().indexOf(';') >= 0) {
            throw new IllegalArgumentException("trace path " + trace.get() + " contains ';', the config separator");
        }
    }

    public SimConfig withMemBytes(long bytes) {
        return new SimConfig(bytes, latency, bytesPerCycle, maxOutstanding, trace);
    }

    public SimConfig withLatency(int cycles) {
        return new SimConfig(memBytes, cycles, bytesPerCycle, maxOutstanding, trace);
    }

    public SimConfig withBytesPerCycle(double bytes) {
        return new SimConfig(memBytes, latency, bytes, maxOutstanding, trace);
    }

    public SimConfig withMaxOutstanding(int bursts) {
        return new SimConfig(memBytes, latency, bytesPerCycle, bursts, trace);
    }

    public SimConfig withTrace(Path file) {
        return new SimConfig(memBytes, latency, bytesPerCycle, maxOutstanding, Optional.of(file));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder()
                .append("mem_size=").append(memBytes)
                .append(";latency=").append(latency)
                .append(";max_outstanding=").append(maxOutstanding);
        if (bytesPerCycle > 0) {
            // Double.toString ignores the locale: a decimal comma would not parse on the C side.
            s.append(";bytes_per_cycle=").append(bytesPerCycle);
        }
        trace.ifPresent(p -> s.append(";trace=").append(p.toAbsolutePath()));
        return s.toString();
    }
}
