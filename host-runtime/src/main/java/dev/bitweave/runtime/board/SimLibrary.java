package dev.bitweave.runtime.board;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * A built simulated board: the shared library in its cache entry and how it was made.
 *
 * @param library       the libbwsim.so to load
 * @param key           the cache key, the SHA-256 of the build's inputs
 * @param cacheHit      true if this call found the library instead of building it
 * @param verilateTime  time verilator took to translate the Verilog to C++
 * @param compileTime   time the C++ compile and link took
 * @param buildLog      the build's log, kept in the cache entry
 */
public record SimLibrary(Path library, String key, boolean cacheHit, Duration verilateTime, Duration compileTime,
        Path buildLog) {
    static final String LIBRARY = "libbwsim.so";
    static final String LOG = "build.log";
    static final String RECORD = "build.properties";

    /** Opens a board on this library with the given memory model. */
    public Board open(SimConfig config) {
        return Board.open(library, config.toString());
    }

    /** Reads the cache entry dir, written by {@link SimBoardBuilder}. */
    static SimLibrary fromEntry(Path entry, String key, boolean cacheHit) throws IOException {
        Properties p = new Properties();
        Path record = entry.resolve(RECORD);
        if (Files.isRegularFile(record)) {
            try (InputStream in = Files.newInputStream(record)) {
                p.load(in);
            }
        }
        return new SimLibrary(entry.resolve(LIBRARY), key, cacheHit, millis(p, "verilate.millis"),
                millis(p, "compile.millis"), entry.resolve(LOG));
    }

    private static Duration millis(Properties p, String name) {
        try {
            return Duration.ofMillis(Long.parseLong(p.getProperty(name, "0")));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
