package dev.bitweave.pack;

import dev.bitweave.numerics.IntLinear;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.reference.IntegerTransformer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed images of stories260K, read back the way the hardware reads them
 * ({@link PackedLinearReference} on the decoded program.img entries, the weights.img bytes and
 * activation blocks), give exactly {@link IntLinear}'s outputs: for every linear tensor, on the
 * real inputs of a few decode steps and on extreme inputs, for every preset the hardware runs and
 * two mixed recipes (one all 3-bit), at every bus width. Running the whole model on the packed layers gives
 * IntegerTransformer's logits bit for bit.
 */
class PackedModelTest {
    @TempDir
    static Path tmp;
    private static final Map<String, QuantizedModel> PLANS = new HashMap<>();
    private static final int[] TOKENS = {1, 302, 45, 511};

    static Stream<Arguments> cases() {
        List<String> recipes = new ArrayList<>(PackFixtures.PRESETS);
        recipes.add(PackFixtures.MIXED);
        recipes.add(PackFixtures.MIXED3);
        return recipes.stream().flatMap(r -> PackFixtures.BUSES.stream().map(b -> Arguments.of(r, b)));
    }

    private static synchronized QuantizedModel plan(String recipe) throws Exception {
        QuantizedModel m = PLANS.get(recipe);
        if (m == null) {
            m = PackFixtures.stories260k(tmp, recipe);
            PLANS.put(recipe, m);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} at BUS {1}")
    @MethodSource("cases")
    void packedLinearsEqualIntLinear(String recipe, int bus) throws Exception {
        QuantizedModel m = plan(recipe);
        BuildImages build = BuildImages.create(m, PackFixtures.boardWithBus(bus));
        if (recipe.equals(PackFixtures.MIXED3) || recipe.startsWith("w3")) {
            for (LayerRegion r : build.regions().values()) assertEquals(3, r.layout().b(), r.name() + " as bit planes");
        }
        List<ProgramImage.Entry> program = ProgramImage.decode(build.program(), "program.img");
        assertInstanceOf(ProgramImage.End.class, program.get(program.size() - 1));
        Map<String, ProgramImage.Linear> ops = PackFixtures.linearsByName(build);

        Map<String, IntLinear> reference = new HashMap<>();
        Map<String, Integer> compared = new HashMap<>();
        TappedDecoder packed = new TappedDecoder(m, (name, x) -> {
            IntLinear ref = reference.computeIfAbsent(name, n -> new IntLinear(m.matrices().get(n), m.activationBits(n)));
            int[] got = PackFixtures.runPacked(ops.get(name), build.weights(), bus, x);
            assertArrayEquals(ref.apply(x), got, () -> name + " (" + recipe + ", BUS " + bus + ")");
            compared.merge(name, 1, Integer::sum);
            return got;
        });
        IntegerTransformer whole = new IntegerTransformer(m);
        for (int pos = 0; pos < TOKENS.length; pos++) {
            int[] logits = packed.forward(TOKENS[pos]);
            whole.forward(TOKENS[pos], pos);
            assertArrayEquals(whole.logitsFx(), logits, "logits at position " + pos);
        }
        for (String name : build.regions().keySet()) {
            assertTrue(compared.getOrDefault(name, 0) >= TOKENS.length, name + " never ran");
            extremes(m, name, ops.get(name), build.weights(), bus);
        }
    }

    /** Every activation at +-qmax, alternating, and zero; steps from tiny to large. */
    private static void extremes(QuantizedModel m, String name, ProgramImage.Linear op, byte[] weights, int bus) {
        int act = m.activationBits(name);
        int qmax = (1 << (act - 1)) - 1;
        int cols = m.matrices().get(name).cols();
        IntLinear ref = new IntLinear(m.matrices().get(name), act);
        List<int[]> inputs = List.of(PackFixtures.filled(cols, qmax), PackFixtures.filled(cols, -qmax),
                PackFixtures.alternating(cols, qmax), new int[cols]);
        for (int[] codes : inputs) {
            for (Scale step : List.of(Scale.of(1, -40), Scale.of(3, -12), Scale.of(1, 0), Scale.ZERO)) {
                QuantizedVector x = new QuantizedVector(codes, step);
                assertArrayEquals(ref.apply(x), PackFixtures.runPacked(op, weights, bus, x), name + " on extreme input, step " + step);
            }
        }
    }
}
