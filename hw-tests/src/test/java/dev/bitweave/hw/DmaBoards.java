package dev.bitweave.hw;

import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The simulated boards of the test-only DMA design (src/test/resources/dma), built once per
 * JVM and cached across runs: each Verilator build takes seconds, so tests share them.
 * BUS=64 is built with tracing so that one build also covers trace=PATH.
 */
final class DmaBoards {
    private DmaBoards() {
    }

    static Path rtlDir() {
        try {
            return Path.of(DmaBoards.class.getResource("/dma/bitweave_top.v").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SimBoardBuilder builder(int bus) {
        return SimBoardBuilder.forRtl(rtlDir()).parameter("BUS", bus);
    }

    static SimLibrary bus64() {
        return Bus64.LIBRARY;
    }

    static SimLibrary bus512() {
        return Bus512.LIBRARY;
    }

    private static SimLibrary build(SimBoardBuilder builder) {
        try {
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Holder classes: a variant is built the first time a test asks for it.
    private static final class Bus64 {
        static final SimLibrary LIBRARY = build(builder(64).tracing(true));
    }

    private static final class Bus512 {
        static final SimLibrary LIBRARY = build(builder(512));
    }
}
