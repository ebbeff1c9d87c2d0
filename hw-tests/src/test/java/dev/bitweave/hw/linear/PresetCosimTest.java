package dev.bitweave.hw.linear;

import dev.bitweave.cosim.Cosim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every linear layer of the real stories260K, under every preset and a mixed plan, on a 128-bit
 * (KV260) and a 512-bit (U280) board: the RTL's outputs equal the Java reference bit for bit on
 * real activations.
 */
class PresetCosimTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<String> recipes = new ArrayList<>(Overlays.PRESETS);
        recipes.add(Overlays.MIXED);
        for (String board : List.of(Overlays.KV260, Overlays.U280)) {
            for (String r : recipes) out.add(Arguments.of(r, board));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void allLayersBitExact(String recipe, String board) throws Exception {
        var build = Overlays.build(Overlays.plan("stories260k-real", recipe), board);
        Cosim.Report r = new Cosim(build, new PrintStream(PrintStream.nullOutputStream())).run(Optional.empty(), Optional.empty());
        assertEquals(36, r.layers().size());
        for (Cosim.LayerResult l : r.layers()) {
            assertTrue(l.match(), recipe + " on " + board + ": " + l.tensor() + " differs in " + l.mismatches()
                    + " rows, first row " + l.firstMismatch());
            assertTrue(l.cycles() >= l.rooflineCycles(), l.tensor() + " beat the roofline: the cycle count is wrong");
        }
    }
}
