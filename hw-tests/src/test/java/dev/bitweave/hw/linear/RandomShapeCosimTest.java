package dev.bitweave.hw.linear;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.cosim.BoardSession;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.SyntheticCheckpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.IntLinear;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.ManifestJson;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimLibrary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Property test of the RTL: random model shapes (widths that are not multiples of the lane count
 * or the group size), random per-layer widths, group sizes, encodings and zero points, and
 * random plus worst-case activations (every code at +-127). Every output must equal IntLinear.
 */
class RandomShapeCosimTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path tmp;

    private static String randomSpec(SplittableRandom r) {
        int bits = List.of(2, 3, 4, 8).get(r.nextInt(4));
        boolean sym = r.nextBoolean();
        int group = List.of(0, 16, 32).get(r.nextInt(3));
        String enc = List.of("mul-shift", "pow2", "mul-exp").get(r.nextInt(3));
        return "\"bits\": " + bits + ", \"symmetric\": " + sym + ", \"groupSize\": " + group + ", \"scaleEncoding\": \"" + enc + "\"";
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomPlansMatchTheReference(long seed) throws Exception {
        check(seed, false);
    }

    /** Every weight at the extreme of its group's grid: with +-127 inputs, the largest sums the accumulators see. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8})
    void extremeWeightsMatchTheReference(long seed) throws Exception {
        check(seed, true);
    }

    private void check(long seed, boolean extreme) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        int heads = 2 + r.nextInt(3);
        int headSize = 2 * (2 + r.nextInt(10));
        int dim = heads * headSize;
        int hidden = 17 + r.nextInt(300);
        int vocab = 40 + r.nextInt(600);
        ModelConfig c = new ModelConfig(dim, hidden, 1, heads, heads, vocab, 16, 10000, 1e-5, r.nextBoolean());
        Path recipe = tmp.resolve("recipe.json");
        Files.writeString(recipe, "{\"weights\": {" + randomSpec(r) + "}, \"overrides\": ["
                + "{\"match\": \"blk.0.attn_*\", " + randomSpec(r) + "},"
                + "{\"match\": \"blk.0.ffn_down\", " + randomSpec(r) + "},"
                + "{\"match\": \"blk.0.ffn_gate\", " + randomSpec(r) + "}]}");
        Path plan;
        try (Checkpoint ck = extreme ? new ExtremeWeights(SyntheticCheckpoint.of("random-" + seed, c, seed))
                : SyntheticCheckpoint.of("random-" + seed, c, seed)) {
            plan = new PlanQuantizer(RecipeReader.resolve(recipe.toString()), p -> { }).quantize(ck, tmp.resolve("plan"), false);
        }
        String boardName = seed % 2 == 0 ? Overlays.KV260 : Overlays.U280;
        Board board = BoardCatalog.byName(boardName);
        // Extreme weights get an array built for this plan alone: its accumulators have exactly the
        // width numerics.md derives, which these inputs come closest to filling.
        Path build = new BuildCompiler(QUIET, false).compile(plan, board, tmp.resolve("build"), false,
                extreme ? Optional.empty() : Optional.of(new BuildCompiler.Overlay(Overlays.overlay(board.busWidthBits()), Overlays.DECODER))).dir();
        Manifest manifest = ManifestJson.read(build.resolve(Manifest.FILE));
        QuantizedModel model = PlanReader.load(plan);
        SimLibrary lib = SimBoardBuilder.forRtl(build.resolve(BuildCompiler.RTL_DIR)).progress(QUIET).build();
        try (BoardSession s = new BoardSession(lib, manifest, board, Files.readAllBytes(build.resolve(Manifest.WEIGHTS_IMG)))) {
            for (Manifest.Layer layer : manifest.layers()) {
                IntLinear ref = new IntLinear(model.matrices().get(layer.name()), model.activationBits(layer.name()));
                int cols = layer.layout().cols();
                for (QuantizedVector x : inputs(r, cols)) {
                    assertArrayEquals(ref.apply(x), s.linear(layer, x).output(),
                            "seed " + seed + " on " + boardName + ": " + layer.name() + " " + layer.layout());
                }
            }
        }
    }

    /** A real-looking vector and the extremes: all +127, all -127, alternating. */
    static List<QuantizedVector> inputs(SplittableRandom r, int n) {
        int[] fx = new int[n];
        for (int i = 0; i < n; i++) fx[i] = (int) (r.nextGaussian() * 65536);
        int[] plus = new int[n];
        int[] minus = new int[n];
        int[] alt = new int[n];
        Arrays.fill(plus, 127);
        Arrays.fill(minus, -127);
        for (int i = 0; i < n; i++) alt[i] = i % 2 == 0 ? 127 : -127;
        var big = dev.bitweave.numerics.Scale.of(1, -8);
        return List.of(ActivationQuantizer.quantizeFx(fx, 8), new QuantizedVector(plus, big), new QuantizedVector(minus, big),
                new QuantizedVector(alt, big));
    }
}
