package dev.bitweave.backend.rtl;

import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitCheckTest {

    static ResourceUsage usage(long luts, long ffs, long dsps, long bramBits, long uramBits, long spramBits) {
        return new ResourceUsage(luts, ffs, dsps, bramBits, uramBits, spramBits, 0, Map.of());
    }

    @Test
    void utilizationPerResourceAgainstTheBoardBudget() {
        Board kv260 = BoardCatalog.byName("kria-kv260");
        FitCheck c = FitCheck.of(usage(58_560, 23_424, 1248, 0, 294_912, 0), kv260);
        List<Utilization> rows = c.utilization();
        assertEquals(List.of("LUTs", "FFs", "DSPs", "BRAM bits", "URAM bits"), rows.stream().map(Utilization::resource).toList());
        assertEquals(50.0, rows.get(0).percent(), 1e-9);
        assertEquals(10.0, rows.get(1).percent(), 1e-9);
        assertEquals(100.0, rows.get(2).percent(), 1e-9, "exactly full still fits");
        assertEquals(0.0, rows.get(3).percent(), 1e-9);
        assertEquals(294_912.0 / 18_874_368 * 100, rows.get(4).percent(), 1e-9);
        assertEquals(117_120, rows.get(0).available());
        assertEquals(1248, rows.get(2).available());
        assertTrue(c.fits());
        c.requireFits();
    }

    @Test
    void requireFitsNamesEveryOverflowAndByHowMuch() {
        FitCheck c = FitCheck.of(usage(140_213, 1000, 1300, 6_000_000, 0, 0), BoardCatalog.byName("kria-kv260"));
        assertFalse(c.fits());
        BadInputException e = assertThrows(BadInputException.class, c::requireFits);
        assertEquals("design does not fit kria-kv260: LUTs 140,213 > 117,120 (+19.7%); DSPs 1,300 > 1,248 (+4.2%); "
                + "BRAM bits 6,000,000 > 5,308,416 (+13.0%)", e.getMessage());
    }

    @Test
    void aSliverOverIsNotShownAsZeroPercent() {
        Utilization u = new Utilization("LUTs", 117_121, 117_120);
        assertFalse(u.fits());
        assertEquals("LUTs 117,121 > 117,120 (+<0.1%)", u.overflowText());
    }

    @Test
    void uramOnlyWhereTheBoardHasItAndSpramAgainstNothing() {
        Board up5k = BoardCatalog.byName("ice40-up5k");
        FitCheck small = FitCheck.of(usage(100, 100, 1, 4096, 0, 0), up5k);
        assertEquals(List.of("LUTs", "FFs", "DSPs", "BRAM bits"), small.utilization().stream().map(Utilization::resource).toList());

        FitCheck spram = FitCheck.of(usage(100, 100, 1, 4096, 0, 262_144), up5k);
        Utilization row = spram.utilization().get(4);
        assertEquals("SPRAM bits", row.resource());
        assertEquals(Double.POSITIVE_INFINITY, row.percent());
        assertEquals("n/a", row.percentText());
        BadInputException e = assertThrows(BadInputException.class, spram::requireFits);
        assertEquals("design does not fit ice40-up5k: SPRAM bits 262,144 > 0 (none available)", e.getMessage());

        FitCheck uramOnXc7 = FitCheck.of(usage(1, 1, 1, 0, 294_912, 0), BoardCatalog.byName("arty-a7-100t"));
        assertEquals("URAM bits", uramOnXc7.overflows().get(0).resource());
    }
}
