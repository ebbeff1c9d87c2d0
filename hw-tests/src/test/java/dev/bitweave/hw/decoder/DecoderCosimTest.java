package dev.bitweave.hw.decoder;

import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.cosim.SimDecoder;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.reference.IntegerTransformer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole decode step on the simulated board against the integer reference: every logit of
 * every position bit for bit, and the board's argmax, while greedy decoding feeds the board's
 * own choice back (so a wrong token would also derail the reference comparison).
 */
class DecoderCosimTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    /** The packed rows run on packed lanes (docs/hardware.md): ada-w8a8 has beats of both kinds, w8a4 only one-cycle beats. */
    @ParameterizedTest(name = "{0} on {1}, {2} positions, packed lanes {3}")
    @CsvSource({"w8a8, kria-kv260, 64, false", "w4a8-g32, alveo-u280, 24, false", "mixed, alveo-u280, 24, false",
            "ada-w8a8, kria-kv260, 24, true", "w8a4, kria-kv260, 24, true"})
    void logitsMatchTheReferenceAtEveryPosition(String recipe, String board, int positions, boolean packed) throws Exception {
        Path plan = Overlays.plan("stories260k-real", recipe);
        BuildDirectory build = BuildDirectory.open(packed ? Overlays.packedBuild(plan, board) : Overlays.build(plan, board));
        IntegerTransformer ref = new IntegerTransformer(PlanReader.load(plan));
        try (SimDecoder sim = SimDecoder.open(build, QUIET, 5_000_000)) {
            int token = 1;
            for (int pos = 0; pos < positions; pos++) {
                ref.forward(token, pos);
                sim.forward(token, pos);
                int[] want = ref.logitsFx();
                assertArrayEquals(want, sim.logitsFx(), "logits at position " + pos);
                int best = 0;
                for (int i = 1; i < want.length; i++) if (want[i] > want[best]) best = i;
                assertEquals(best, sim.argmax(), "argmax at position " + pos);
                token = best;
            }
        }
    }
}
