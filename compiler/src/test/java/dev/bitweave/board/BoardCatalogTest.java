package dev.bitweave.board;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardCatalogTest {

    private static final List<String> EIGHT = List.of("alveo-u250", "alveo-u280", "alveo-u55c", "arty-a7-100t",
            "ice40-up5k", "kria-kv260", "pynq-z2", "zcu104");

    static Stream<String> names() {
        return BoardCatalog.names().stream();
    }

    @Test
    void allEightRealBoardsAreCatalogued() {
        assertEquals(EIGHT, BoardCatalog.names());
        assertEquals(EIGHT, BoardCatalog.all().stream().map(Board::name).toList());
    }

    /** The index is what the catalog reads; a descriptor left out of it would silently not exist. */
    @Test
    void indexListsEveryDescriptorInTheBoardsModule() throws IOException {
        Path boardsDir = Path.of(System.getProperty("basedir", ".")).resolve("../boards").normalize();
        List<String> files;
        try (Stream<Path> s = Files.list(boardsDir)) {
            files = s.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json") && !f.equals("index.json"))
                    .map(f -> f.substring(0, f.length() - ".json".length()))
                    .sorted().toList();
        }
        assertEquals(files, BoardCatalog.names(), "boards/index.json vs boards/*.json in " + boardsDir);
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyBoardIsInternallySane(String name) {
        Board b = BoardCatalog.byName(name);
        assertEquals(name, b.name());
        assertEquals(List.of(), b.problems());

        assertTrue(b.luts() >= 1000, "luts");
        assertTrue(b.ffs() >= b.luts(), "every LUT comes with at least one flip-flop");
        assertTrue(b.dsp().count() > 0 && b.dsp().count() < b.luts() / 10, "dsp count");
        assertTrue(b.bramBits() > 0, "block RAM");
        assertTrue(b.memory().sizeBytes() * 8 > b.bramBits() + b.uramBits(),
                "weights stream from a memory larger than the on-chip RAM");
        assertTrue(b.kernelClockMHz() >= 10 && b.kernelClockMHz() <= 500, "kernel clock");

        // Bandwidth against bus width x clock: all ports together must be able to approach the
        // peak (else the peak is inflated or the ports undercounted), and one port cannot sensibly
        // be much faster than the whole memory (else the bus width or clock is wrong).
        double port = b.busWidthBits() / 8.0 * b.kernelClockMHz() * 1e6;
        double peak = b.memory().peakBandwidthBytesPerSecond();
        assertEquals(port, b.portBytesPerSecond(), 1e-3);
        assertTrue(port * b.memoryPorts() >= 0.5 * peak,
                name + ": " + b.memoryPorts() + " ports x " + port + " B/s cannot approach the peak " + peak);
        assertTrue(port <= 2 * peak, name + ": one port (" + port + " B/s) is far beyond the memory peak " + peak);
        assertTrue(b.streamBytesPerSecond() <= peak && b.streamBytesPerSecond() >= 0.5 * peak);

        switch (b.family()) {
            case XCUP -> assertTrue(b.part().startsWith("xc") && !b.part().startsWith("xc7"), b.part());
            case XC7 -> assertTrue(b.part().startsWith("xc7"), b.part());
            case ICE40 -> assertTrue(b.part().startsWith("iCE40"), b.part());
        }
        if (b.hostInterface() == Board.HostInterface.XRT) {
            assertTrue(name.startsWith("alveo-"), "XRT boards are Alveo cards");
            assertTrue(b.platform().startsWith("xilinx_" + name.substring("alveo-".length()) + "_"), b.platform());
        }
        assertTrue(!b.references().isEmpty());
    }

    /** Pinned data sheet figures, so an accidental edit to a descriptor is noticed. */
    @Test
    void keyFiguresMatchTheDataSheets() {
        Board u280 = BoardCatalog.byName("alveo-u280");
        assertEquals("xcu280-fsvh2892-2L-e", u280.part());
        assertEquals("xilinx_u280_gen3x16_xdma_1_202211_1", u280.platform());
        assertEquals(9024, u280.dsp().count());
        assertEquals(Board.DspType.DSP48E2, u280.dsp().type());
        assertEquals(460_000_000_000L, u280.memory().peakBandwidthBytesPerSecond());
        assertEquals(8L << 30, u280.memory().sizeBytes());
        assertEquals(460e9, u280.streamBytesPerSecond(), 1);

        assertEquals(16L << 30, BoardCatalog.byName("alveo-u55c").memory().sizeBytes());
        assertEquals(12288, BoardCatalog.byName("alveo-u250").dsp().count());

        Board kv260 = BoardCatalog.byName("kria-kv260");
        assertEquals("xck26-sfvc784-2LV-c", kv260.part());
        assertEquals(1248, kv260.dsp().count());
        assertEquals(4L << 30, kv260.memory().sizeBytes());
        assertEquals(19_200_000_000L, kv260.memory().peakBandwidthBytesPerSecond());
        assertEquals(Board.HostInterface.ZYNQ_UIO, kv260.hostInterface());

        assertEquals(1728, BoardCatalog.byName("zcu104").dsp().count());
        assertEquals(220, BoardCatalog.byName("pynq-z2").dsp().count());
        assertEquals(Board.DspType.DSP48E1, BoardCatalog.byName("arty-a7-100t").dsp().type());
        assertEquals(128, BoardCatalog.byName("arty-a7-100t").busWidthBits());

        Board up5k = BoardCatalog.byName("ice40-up5k");
        assertEquals(Board.Family.ICE40, up5k.family());
        assertEquals(8, up5k.dsp().count());
        assertEquals(5280, up5k.luts());
        assertEquals("SPRAM", up5k.memory().kind());
        assertEquals(128 * 1024, up5k.memory().sizeBytes());
        assertEquals(0, up5k.uramBits());
    }

    @Test
    void unknownNameListsTheValidBoards() {
        BadInputException e = assertThrows(BadInputException.class, () -> BoardCatalog.byName("u280"));
        assertEquals("unknown board 'u280'; valid boards: " + String.join(", ", EIGHT), e.getMessage());
    }

    @Test
    void resolveTakesANameOrADescriptorFile() {
        assertSame(BoardCatalog.byName("zcu104"), BoardCatalog.resolve("zcu104"));
        BadInputException e = assertThrows(BadInputException.class, () -> BoardCatalog.resolve("no/such/board.json"));
        assertEquals(Path.of("no/such/board.json") + ": no such file", e.getMessage());
    }
}
