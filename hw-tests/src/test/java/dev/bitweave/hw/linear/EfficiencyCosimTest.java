package dev.bitweave.hw.linear;

import dev.bitweave.cosim.Cosim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the stories110M shape (dim 768, hidden 2048), each distinct linear-layer shape of a block
 * runs within 10% of its memory roofline under every preset on both boards, and stays bit-exact.
 * Cycle counts from Verilator are deterministic, so this is a correctness property of the design,
 * not a timing measurement.
 */
class EfficiencyCosimTest {
    static final Set<String> LAYERS = Set.of("blk.0.attn_q", "blk.0.attn_k", "blk.0.ffn_gate", "blk.0.ffn_down");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String board : List.of(Overlays.KV260, Overlays.U280)) {
            for (String r : Overlays.PRESETS) out.add(Arguments.of(r, board));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void withinTenPercentOfRoofline(String recipe, String board) throws Exception {
        var build = Overlays.build(Overlays.plan("stories110m", recipe), board);
        Cosim.Report r = new Cosim(build, new PrintStream(PrintStream.nullOutputStream())).run(Optional.of(LAYERS), Optional.empty());
        assertTrue(r.layers().size() == LAYERS.size());
        for (Cosim.LayerResult l : r.layers()) {
            assertTrue(l.match(), recipe + " on " + board + ": " + l.tensor() + " is not bit-exact");
            assertTrue(l.efficiency() >= 0.90, String.format("%s on %s: %s runs %d cycles for a roofline of %d (%.3f)",
                    recipe, board, l.tensor(), l.cycles(), l.rooflineCycles(), l.efficiency()));
        }
    }
}
