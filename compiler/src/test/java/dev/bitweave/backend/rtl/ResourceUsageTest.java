package dev.bitweave.backend.rtl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResourceUsageTest {

    @Test
    void countsXilinxCellsInBoardUnits() {
        ResourceUsage u = ResourceUsage.fromCells(Map.ofEntries(
                Map.entry("LUT1", 1L), Map.entry("LUT2", 2L), Map.entry("LUT6", 10L), Map.entry("INV", 3L),
                Map.entry("RAM64M", 2L), Map.entry("SRLC32E", 5L), Map.entry("RAM32X1D", 1L),
                Map.entry("MUXF7", 4L), Map.entry("MUXF8", 2L),
                Map.entry("FDRE", 7L), Map.entry("FDCE", 1L), Map.entry("LDCE", 1L),
                Map.entry("DSP48E2", 3L), Map.entry("CARRY8", 6L), Map.entry("CARRY4", 1L),
                Map.entry("RAMB18E2", 1L), Map.entry("RAMB36E2", 2L), Map.entry("URAM288", 2L)));
        // 1 + 2 + 10 + 3 inverters + 2 x 4 (RAM64M) + 5 SRLs + 2 (RAM32X1D); slice muxes are not LUTs
        assertEquals(31, u.luts());
        assertEquals(9, u.ffs());
        assertEquals(3, u.dsps());
        assertEquals(7, u.carries());
        assertEquals((18 + 2 * 36) * 1024L, u.bramBits());
        assertEquals(2 * 288 * 1024L, u.uramBits());
        assertEquals(0, u.spramBits());
        assertEquals(List.of(), u.unmappedCells());
    }

    @Test
    void countsIce40CellsInBoardUnits() {
        ResourceUsage u = ResourceUsage.fromCells(Map.of(
                "SB_LUT4", 853L, "SB_CARRY", 166L, "SB_DFFSR", 128L, "SB_DFFE", 4L, "SB_DFF", 1L,
                "SB_MAC16", 4L, "SB_RAM40_4K", 2L, "SB_RAM40_4KNR", 1L, "SB_SPRAM256KA", 1L));
        assertEquals(853, u.luts());
        assertEquals(133, u.ffs());
        assertEquals(4, u.dsps());
        assertEquals(166, u.carries());
        assertEquals(3 * 4096L, u.bramBits());
        assertEquals(256 * 1024L, u.spramBits());
        assertEquals(0, u.uramBits());
    }

    @Test
    void yosysInternalCellsAreReportedAsUnmappedAndTheHistogramIsSorted() {
        ResourceUsage u = ResourceUsage.fromCells(Map.of("LUT4", 1L, "$mul", 2L, "$mem_v2", 1L));
        assertEquals(List.of("$mem_v2", "$mul"), u.unmappedCells());
        assertEquals(List.of("$mem_v2", "$mul", "LUT4"), List.copyOf(u.cells().keySet()));
    }
}
