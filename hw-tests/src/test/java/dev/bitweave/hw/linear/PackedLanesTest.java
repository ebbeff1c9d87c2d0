package dev.bitweave.hw.linear;

import dev.bitweave.cli.Cli;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.cosim.Cosim;
import dev.bitweave.cosim.LayerVectors;
import dev.bitweave.csim.Csim;
import dev.bitweave.csim.CsimCompiler;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.plan.PlanReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed lanes (compile --packed-lanes, docs/hardware.md): the 8-bit lanes share a multiplier per
 * pair. Every output stays bit-exact (the whole decode step: DecoderCosimTest), a code beat whose activations on those lanes fit 4 bits
 * costs what it costs unpacked, and every other beat costs exactly one cycle more. Cycle counts
 * from Verilator are deterministic, so the cycle rule is tested exactly.
 */
class PackedLanesTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final int BUS = 128;
    private static final int PAIRED_LANES = BUS / 8;

    /**
     * Beats of the layer's stream in which some paired lane's activation lies outside [-8, 7]. Lane i
     * of code beat c reads column c * C_b + i, and the paired lanes are the first BUS / 8 of every
     * mode's lanes.
     */
    private static long slowBeats(Cosim.LayerResult l, int[] codes) {
        int cb = LinearLayout.codesPerBeat(BUS, l.bits());
        int beatsPerRow = (l.cols() + cb - 1) / cb;
        long slow = 0;
        for (int c = 0; c < beatsPerRow; c++) {
            for (int i = 0; i < PAIRED_LANES; i++) {
                int col = c * cb + i;
                if (col < l.cols() && (codes[col] < -8 || codes[col] > 7)) {
                    slow++;
                    break;
                }
            }
        }
        return slow * l.rows();
    }

    private static Map<String, Cosim.LayerResult> cosim(Path build) throws Exception {
        return new Cosim(build, QUIET).run(Optional.empty(), Optional.empty()).layers().stream()
                .collect(Collectors.toMap(Cosim.LayerResult::tensor, Function.identity()));
    }

    /**
     * Every layer of stories260K on a 128-bit board. w8a4: every beat is fast, so every layer takes
     * the unpacked array's cycles. w8a8, ada-w8a8 and mixed (whose 4-, 3- and 2-bit layers also run on the paired lanes):
     * the difference is the count of slow beats, computed here from the same activations. The
     * unpacked baseline of ada-w8a8 is w8a8's build: the same int8 weights stream the same beats.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"w8a4, w8a4", "w8a8, w8a8", "ada-w8a8, w8a8", "mixed, mixed"})
    void bitExactAndOneCycleMorePerBeatThatDoesNotFit(String recipe, String baselineRecipe) throws Exception {
        Path plan = Overlays.plan("stories260k-real", recipe);
        Map<String, Cosim.LayerResult> packed = cosim(Overlays.packedBuild(plan, Overlays.KV260));
        Map<String, Cosim.LayerResult> unpacked = cosim(Overlays.build(Overlays.plan("stories260k-real", baselineRecipe), Overlays.KV260));
        Map<String, LayerVectors.Vector> vectors = LayerVectors.capture(PlanReader.load(plan), 3);
        long totalSlow = 0;
        for (Cosim.LayerResult l : packed.values()) {
            assertTrue(l.match(), recipe + ": " + l.tensor() + " is not bit-exact");
            long slow = slowBeats(l, vectors.get(l.tensor()).input().codes());
            totalSlow += slow;
            assertEquals(unpacked.get(l.tensor()).cycles() + slow, l.cycles(), recipe + ": " + l.tensor() + " with " + slow + " slow beats");
        }
        if (recipe.equals("w8a4")) assertEquals(0, totalSlow);
        else assertTrue(totalSlow > 0, recipe + " exercises the two-cycle beats");
    }

    /** The HLS kernel of a packed build takes the pair product on fitting beats: 64 positions bit-exact. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ada-w8a8", "w8a4"})
    void hlsKernelMatchesTheReference(String recipe) throws Exception {
        Path build = Overlays.packedBuild(Overlays.plan("stories260k-real", recipe), Overlays.KV260);
        assertTrue(Files.readString(build.resolve("hls/bitweave_kernel.cpp")).contains("packed_pair("));
        Csim.Report r = new Csim(CsimCompiler.standard(QUIET), QUIET).run(BuildDirectory.open(build), 64);
        assertEquals(64, r.matched(), () -> "first mismatch " + r.firstMismatch());
    }

    /**
     * Yosys (synth_xilinx for the KV260's UltraScale+) on the linear engine of stories260K w8a8:
     * the packed engine has exactly one DSP48E2 fewer per pair of 8-bit lanes (16 lanes, 8 pairs at
     * 128 bits); every other multiplier (group rescale, requantizer) is the same.
     */
    @Test
    void oneDspPerPairOfLanes(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path plan = Overlays.plan("stories260k-real", "w8a8");
        var board = dev.bitweave.board.BoardCatalog.byName(Overlays.KV260);
        long[] dsps = new long[2];
        for (int packed = 0; packed < 2; packed++) {
            Path build = new dev.bitweave.backend.BuildCompiler(QUIET, false).withPackedLanes(packed == 1)
                    .compile(plan, board, tmp.resolve("b" + packed), false).dir();
            dsps[packed] = dev.bitweave.backend.rtl.YosysSynthesis.forBoard(board, "bw_linear", java.util.List.of(build.resolve("rtl/bw_linear.v")))
                    .withProgress(QUIET, java.time.Duration.ofMinutes(5)).run().usage().dsps();
        }
        assertEquals(BUS / 16, dsps[0] - dsps[1], "DSPs unpacked " + dsps[0] + ", packed " + dsps[1]);
    }

    /** A plan whose lanes use no DSPs cannot be packed: exit 2, naming the plan and the reason, nothing written. */
    @Test
    void planWithoutEightBitLayersIsRefused(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path plan = Overlays.plan("stories260k-real", "w4a8-g32");
        Path out = tmp.resolve("b");
        Cli.assertMentions(Cli.badInput("compile", plan, "--board", Overlays.KV260, "--no-synth", "--packed-lanes", "-o", out),
                plan.toString(), "no layer has 8-bit weights");
        assertTrue(Files.notExists(out));
        Cli.assertMentions(Cli.badInput("compile", Overlays.plan("stories260k-real", Overlays.FP8), "--board", Overlays.KV260,
                "--no-synth", "--packed-lanes", "-o", out), "fp8-e4m3 weights are 19-bit values");
    }
}
