package dev.bitweave.quantize.mixed;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitAllocationTest {
    /** A matrix of 1000 weights with sensitivities at 2, 4 and 8 bits (packed = bits per weight exactly). */
    private static BitAllocation.Candidates layer(String name, double kl2, double kl4, double kl8) {
        return new BitAllocation.Candidates(name, 1000, List.of(new BitAllocation.Option(2, 2000, kl2),
                new BitAllocation.Option(4, 4000, kl4), new BitAllocation.Option(8, 8000, kl8)));
    }

    private static List<Integer> widths(BitAllocation.Result r) {
        return r.choices().stream().map(c -> c.option().bits()).toList();
    }

    @Test
    void lowersTheLeastSensitiveLayersFirst() {
        List<BitAllocation.Candidates> c = List.of(layer("robust", 0.001, 0.0005, 0), layer("fragile", 5, 0.5, 0),
                layer("middle", 0.5, 0.05, 0));
        // 6 bits average: 18000 bits for 3000 weights; taking 'robust' down to 2 bits is the cheapest way there
        BitAllocation.Result r = BitAllocation.choose(c, 6.0);
        assertEquals(List.of(2, 8, 8), widths(r));
        assertEquals(6.0, r.averageBits(), 1e-12);
        // 4 bits average: 'fragile' keeps the most; the budget holds
        BitAllocation.Result r4 = BitAllocation.choose(c, 4.0);
        assertTrue(r4.averageBits() <= 4.0, () -> "average " + r4.averageBits());
        assertTrue(widths(r4).get(1) >= widths(r4).get(0) && widths(r4).get(1) >= widths(r4).get(2), () -> widths(r4).toString());
    }

    @Test
    void everyLayerAtItsWidestWhenTheBudgetAllows() {
        BitAllocation.Result r = BitAllocation.choose(List.of(layer("a", 1, 0.5, 0.1), layer("b", 1, 0.5, 0.1)), 8.0);
        assertEquals(List.of(8, 8), widths(r));
    }

    @Test
    void slackLeftByAGreedyStepIsSpentAgain() {
        // 'big' has 3000 weights: lowering it 8 -> 2 overshoots; the widening pass gives the slack back
        BitAllocation.Candidates big = new BitAllocation.Candidates("big", 3000, List.of(new BitAllocation.Option(2, 6000, 0.001),
                new BitAllocation.Option(8, 24000, 0)));
        BitAllocation.Candidates small = new BitAllocation.Candidates("small", 1000, List.of(new BitAllocation.Option(2, 2000, 1),
                new BitAllocation.Option(4, 4000, 0.5), new BitAllocation.Option(8, 8000, 0)));
        BitAllocation.Result r = BitAllocation.choose(List.of(big, small), 3.5);   // 14000 bits
        assertEquals(List.of(2, 8), widths(r));
        assertEquals(3.5, r.averageBits(), 1e-12);
    }

    @Test
    void aTargetBelowTheNarrowestWidthsIsRefused() {
        List<BitAllocation.Candidates> c = List.of(layer("a", 1, 0.5, 0));
        assertEquals(2.0, BitAllocation.minimumBits(c), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> BitAllocation.choose(c, 1.9));
    }

    @Test
    void tiesResolveTheSameWayEveryTime() {
        List<BitAllocation.Candidates> c = List.of(layer("a", 1, 0.5, 0), layer("b", 1, 0.5, 0), layer("c", 1, 0.5, 0));
        List<Integer> first = widths(BitAllocation.choose(c, 5.0));
        for (int i = 0; i < 5; i++) assertEquals(first, widths(BitAllocation.choose(c, 5.0)));
        assertTrue(BitAllocation.choose(c, 5.0).averageBits() <= 5.0);
    }
}
