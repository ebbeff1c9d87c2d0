package dev.bitweave.backend.rtl;

import dev.bitweave.board.Board;

import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One Yosys synthesis of a design, fresh or from the cache.
 *
 * @param top          the top module
 * @param family       the device family it was mapped to
 * @param parameters   top-module parameter overrides
 * @param usage        the resources it uses
 * @param yosysVersion {@code yosys -V} of the run that produced it
 * @param seconds      wall time of the Yosys run that produced it (also on a cache hit: the
 *                     original run's, which is what a report wants to show)
 * @param cacheKey     SHA-256 (hex) of sources, script and Yosys version
 * @param cacheHit     true when read from the cache instead of running Yosys
 * @param log          the Yosys log of the run that produced it
 */
public record SynthesisResult(String top, Board.Family family, SortedMap<String, Long> parameters,
                              ResourceUsage usage, String yosysVersion, double seconds,
                              String cacheKey, boolean cacheHit, Path log) {

    public SynthesisResult {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }
}
