package dev.bitweave.hw.linear;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.backend.rtl.ArrayShape;
import dev.bitweave.backend.rtl.DecoderShape;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.importer.SyntheticCheckpoint;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plans and builds shared by the co-simulation suites. Every build for one board is compiled
 * against the same overlay (all widths, group sizes 16 and 32 and per channel, buffers for the
 * stories110M shape), so it yields the same Verilog: one Verilator build per bus width serves
 * every plan, as one bitstream would on a real board.
 */
public final class Overlays {
    public static final String KV260 = "kria-kv260";
    public static final String U280 = "alveo-u280";
    public static final List<String> PRESETS = List.of("w8a8", "w4a8-g32", "w4a8-gse32", "w3a8-g32", "w2a8-g16");
    public static final String MIXED = "mixed";

    private static final Path ROOT = temp();
    private static final Map<String, Path> PLANS = new ConcurrentHashMap<>();
    private static final Map<String, Path> BUILDS = new ConcurrentHashMap<>();
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    private Overlays() {
    }

    private static Path temp() {
        try {
            Path p = Files.createTempDirectory("bitweave-hw-tests-");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decoder units for stories110M's shape (dim 768, hidden 2048, head 64, 1024 positions, vocab 32000). */
    public static final DecoderShape DECODER = DecoderShape.forModel(768, 2048, 64, 1024, 32000, 512);

    public static ArrayShape overlay(int bus) {
        List<ArrayShape.GroupMode> modes = new ArrayList<>();
        for (int b : List.of(2, 3, 4, 8)) {
            for (int lg : List.of(4, 5, 31)) modes.add(new ArrayShape.GroupMode(b, lg));
        }
        return new ArrayShape(bus, new TreeSet<>(List.of(2, 3, 4, 8)), modes, true, 2048, 32000, 16 * bus,
                ArrayShape.allEntryShifts(bus, modes), 64, true, false);
    }

    /** fp8-e4m3 layers with an int8 embedding (the embedding lookup table holds int16 values). */
    public static final String FP8 = "fp8-int8-embedding";

    static Path fp8Recipe() throws IOException {
        Path f = ROOT.resolve("fp8-int8-embedding.json");
        if (!Files.exists(f)) {
            Files.writeString(f, """
                    {"name": "fp8-int8-embedding", "weights": {"format": "fp8-e4m3", "groupSize": 32, "scaleEncoding": "pow2"},
                     "overrides": [{"match": "token_embd", "format": "int", "bits": 8, "symmetric": true}]}""");
        }
        return f;
    }

    /** A recipe with a different width and group per layer kind, asymmetric and mul-exp included. */
    static Path mixedRecipe() throws IOException {
        Path f = ROOT.resolve("mixed.json");
        if (!Files.exists(f)) {
            Files.writeString(f, """
                    {"name": "mixed",
                     "weights": {"format": "int", "bits": 4, "symmetric": true, "groupSize": 32, "scaleEncoding": "mul-shift"},
                     "overrides": [
                       {"match": "blk.*.attn_*", "bits": 8, "groupSize": 0},
                       {"match": "blk.*.attn_v", "symmetric": false, "scaleEncoding": "mul-exp", "groupSize": 16},
                       {"match": "blk.*.ffn_down", "bits": 3, "symmetric": false, "groupSize": 32},
                       {"match": "blk.*.ffn_gate", "bits": 2, "symmetric": false, "groupSize": 16, "scaleEncoding": "pow2"},
                       {"match": "blk.*.ffn_up", "bits": 2, "symmetric": false, "groupSize": 16, "scaleEncoding": "pow2"},
                       {"match": "token_embd", "bits": 8, "groupSize": 0}
                     ]}""");
        }
        return f;
    }

    /** stories260K (real) or a synthetic shape quantized with a preset or the mixed recipe. */
    public static Path plan(String model, String recipe) {
        return PLANS.computeIfAbsent(model + "/" + recipe, k -> {
            Path dir = ROOT.resolve("plan-" + model + "-" + recipe);
            try (Checkpoint ck = model.equals("stories260k-real") ? CheckpointOpener.open(SharedModels.stories260kBin())
                    : SyntheticCheckpoint.of(model, 1)) {
                String r = switch (recipe) {
                    case MIXED -> mixedRecipe().toString();
                    case FP8 -> fp8Recipe().toString();
                    default -> recipe;
                };
                return new PlanQuantizer(RecipeReader.resolve(r), p -> { }).quantize(ck, dir, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static Path build(Path plan, String boardName) {
        return build(plan, boardName, "", b -> new BuildCompiler.Overlay(overlay(b), DECODER));
    }

    /**
     * The same overlay with packed lanes (compile --packed-lanes). Its decoder units include the
     * token-adaptive norms, so every plan, adaptive or not, shares one Verilator build per bus.
     */
    public static Path packedBuild(Path plan, String boardName) {
        return build(plan, boardName, "-packed",
                b -> new BuildCompiler.Overlay(overlay(b).withPackedLanes(), DECODER.withAdaptiveActivations()));
    }

    private static Path build(Path plan, String boardName, String suffix, java.util.function.IntFunction<BuildCompiler.Overlay> overlay) {
        return BUILDS.computeIfAbsent(plan + "@" + boardName + suffix, k -> {
            Board board = BoardCatalog.byName(boardName);
            Path out = ROOT.resolve("build-" + plan.getFileName() + "-" + boardName + suffix);
            try {
                return new BuildCompiler(QUIET, false).compile(plan, board, out, false,
                        Optional.of(overlay.apply(board.busWidthBits()))).dir();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
