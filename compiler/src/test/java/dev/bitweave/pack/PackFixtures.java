package dev.bitweave.pack;

import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.numerics.QuantizedVector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Plans of the shared stories260K and boards of every supported bus width, for the pack suites. */
final class PackFixtures {
    static final List<Integer> BUSES = List.of(32, 64, 128, 512);
    static final List<String> PRESETS = List.of("w8a8", "w4a8-g32", "w4a8-gse32", "w3a8-g32", "w2a8-g16");
    static final String MIXED = "mixed";
    static final String MIXED3 = "mixed3";

    /**
     * 8-bit attention (per channel, attn_v asymmetric with per-group multiplier and exponent), 4-bit FFN
     * (ffn_down asymmetric pow2 with 6-bit activations), 2-bit asymmetric classifier (tied: token_embd).
     */
    static final String MIXED_RECIPE = """
            {"name": "mixed",
             "weights": {"format": "int", "bits": 4, "symmetric": true, "groupSize": 32,
                         "scaleEncoding": "mul-shift", "scaleBits": 16},
             "overrides": [
               {"match": "blk.*.attn_*", "bits": 8, "groupSize": 0},
               {"match": "blk.*.attn_v", "symmetric": false, "groupSize": 16, "scaleEncoding": "mul-exp", "scaleBits": 12},
               {"match": "blk.*.ffn_down", "symmetric": false, "groupSize": 16, "scaleEncoding": "pow2", "activationBits": 6},
               {"match": "token_embd", "bits": 2, "symmetric": false, "groupSize": 16}
             ]}
            """;

    /**
     * 3-bit everywhere, as bit planes: symmetric mul-exp g16 by default, symmetric pow2 per channel
     * attention (attn_output with 6-bit activations), asymmetric mul-shift g64 ffn_down, symmetric g4
     * classifier (tied: token_embd). w3a8-g32 covers asymmetric g32.
     */
    static final String MIXED3_RECIPE = """
            {"name": "mixed3",
             "weights": {"format": "int", "bits": 3, "symmetric": true, "groupSize": 16,
                         "scaleEncoding": "mul-exp", "scaleBits": 12},
             "overrides": [
               {"match": "blk.*.attn_*", "groupSize": 0, "scaleEncoding": "pow2"},
               {"match": "blk.*.attn_output", "activationBits": 6},
               {"match": "blk.*.ffn_down", "symmetric": false, "groupSize": 64, "scaleEncoding": "mul-shift", "scaleBits": 16},
               {"match": "token_embd", "groupSize": 4}
             ]}
            """;

    private PackFixtures() {
    }

    /** stories260K quantized with a preset, {@link #MIXED} or {@link #MIXED3}, into a plan under {@code tmp}. */
    static QuantizedModel stories260k(Path tmp, String recipe) throws Exception {
        String resolved = recipe;
        Files.createDirectories(tmp);
        if (recipe.equals(MIXED) || recipe.equals(MIXED3)) {
            Path file = tmp.resolve(recipe + ".json");
            Files.writeString(file, recipe.equals(MIXED) ? MIXED_RECIPE : MIXED3_RECIPE);
            resolved = file.toString();
        }
        Path dir = tmp.resolve("plan-" + recipe);
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            new PlanQuantizer(RecipeReader.resolve(resolved), p -> { }).quantize(ck, dir, false);
        }
        return PlanReader.load(dir);
    }

    /** The Alveo U280 with another bus width: only the bus changes the layout. */
    static Board boardWithBus(int bus) {
        return withBus(BoardCatalog.byName("alveo-u280"), bus);
    }

    static Board withBus(Board b, int bus) {
        return new Board(b.name(), b.title(), b.vendor(), b.part(), b.platform(), b.family(), b.dsp(), b.luts(), b.ffs(),
                b.bramBits(), b.uramBits(), b.memory(), bus, b.memoryPorts(), b.kernelClockMHz(), b.hostInterface(),
                b.references());
    }

    /** Through the memory formats both ways: activation block in, int32 output vector out. */
    static int[] runPacked(ProgramImage.Linear op, byte[] weights, int bus, QuantizedVector x) {
        byte[] block = ActivationBlock.encode(x, bus);
        QuantizedVector loaded = ActivationBlock.decode(block, 0, x.codes().length);
        int[] y = PackedLinearReference.apply(op, weights, bus, loaded);
        return ActivationBlock.decodeOutput(ActivationBlock.encodeOutput(y, bus), 0, y.length);
    }

    static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    static int[] alternating(int n, int v) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i % 2 == 0 ? v : -v;
        return a;
    }

    /** The program's LINEAR entry of every region (by name), checking each region has exactly one. */
    static java.util.Map<String, ProgramImage.Linear> linearsByName(BuildImages build) {
        java.util.Map<Long, ProgramImage.Linear> byAddress = new java.util.HashMap<>();
        for (ProgramImage.Entry e : ProgramImage.decode(build.program(), "program.img")) {
            ProgramImage.Linear l = e instanceof ProgramImage.LinearTo t ? t.linear() : e instanceof ProgramImage.Linear x ? x : null;
            if (l != null && byAddress.put(l.address(), l) != null) throw new AssertionError("two LINEARs read " + l.address());
        }
        java.util.Map<String, ProgramImage.Linear> out = new java.util.LinkedHashMap<>();
        for (LayerRegion r : build.regions().values()) {
            ProgramImage.Linear l = byAddress.get(r.address());
            if (l == null) throw new AssertionError("no LINEAR runs " + r.name());
            out.put(r.name(), l);
        }
        return out;
    }
}
