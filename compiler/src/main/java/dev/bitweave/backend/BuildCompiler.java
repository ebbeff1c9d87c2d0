package dev.bitweave.backend;

import dev.bitweave.backend.hls.HlsGenerator;
import dev.bitweave.backend.hls.HlsModel;
import dev.bitweave.backend.hls.VitisFlow;
import dev.bitweave.backend.rtl.ArrayShape;
import dev.bitweave.backend.rtl.DecoderShape;
import dev.bitweave.backend.rtl.FitCheck;
import dev.bitweave.backend.rtl.ResourceReport;
import dev.bitweave.backend.rtl.RtlGenerator;
import dev.bitweave.backend.rtl.SynthesisResult;
import dev.bitweave.backend.rtl.VerilogLint;
import dev.bitweave.backend.rtl.YosysSynthesis;
import dev.bitweave.board.Board;
import dev.bitweave.pack.BuildImages;
import dev.bitweave.pack.DecoderProgram;
import dev.bitweave.pack.LayerRegion;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.ManifestJson;
import dev.bitweave.plan.AtomicDirectory;
import dev.bitweave.plan.Plan;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.PlanTokenizer;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * plan + board -> build directory: rtl/ (lint-clean Verilog), hls/ (the Vitis-HLS kernel, its C test bench and
 * the csim-only ap_int.h), weights.img, program.img,
 * manifest.json, a copy of the plan (so cosim and run need nothing else), report.md and
 * resources.svg. Synthesis with Yosys proves the design fits the board; a design that does not
 * fit is refused and nothing is written.
 */
public final class BuildCompiler {
    public static final String RTL_DIR = "rtl";
    public static final String HLS_DIR = "hls";
    public static final String PLAN_DIR = "plan";
    public static final String TOP = "bitweave_top";

    public record Result(Path dir, BuildImages images, Optional<SynthesisResult> synthesis) {
    }

    private final PrintStream progress;
    private final boolean synthesize;
    private final boolean packedLanes;

    public BuildCompiler(PrintStream progress, boolean synthesize) {
        this(progress, synthesize, false);
    }

    private BuildCompiler(PrintStream progress, boolean synthesize, boolean packedLanes) {
        this.progress = progress;
        this.synthesize = synthesize;
        this.packedLanes = packedLanes;
    }

    /** A compiler whose lane arrays share one multiplier per pair of 8-bit lanes (ArrayShape.packedLanes). */
    public BuildCompiler withPackedLanes(boolean on) {
        return new BuildCompiler(progress, synthesize, on);
    }

    public static ArrayShape arrayShape(BuildImages images, QuantizedModel model) {
        int acc = 2;
        for (var t : model.matrices().values()) acc = Math.max(acc, t.accumulatorBits(model.activationBits(t.name())));
        TreeSet<Integer> widths = new TreeSet<>(images.hardware().modes());
        List<ArrayShape.GroupMode> modes = new ArrayList<>();
        boolean asym = false;
        boolean fp4 = false;
        boolean fp8 = false;
        int rows = 1;
        TreeSet<Integer> shifts = new TreeSet<>();
        for (LayerRegion r : images.regions().values()) {
            LinearLayout l = r.layout();
            shifts.add(l.perChannel() || l.groupSize() >= l.cb() ? l.entryBits() : l.entryBits() * (l.cb() / l.groupSize()));
            ArrayShape.GroupMode g = new ArrayShape.GroupMode(l.b(), l.log2Group());
            if (!modes.contains(g)) modes.add(g);
            asym |= !l.symmetric();
            fp4 |= l.floatCodes() && l.b() == 4;
            fp8 |= l.floatCodes() && l.b() == 8;
            rows = Math.max(rows, l.rows());
        }
        return new ArrayShape(images.hardware().bus(), widths, modes, asym, images.hardware().maxCols(), rows,
                images.hardware().scaleBits(), shifts, acc, fp4, fp8);
    }

    /** Hardware a build must at least contain, so that several plans share one design (one bitstream). */
    public record Overlay(ArrayShape array, DecoderShape decoder) {
    }

    public static DecoderShape decoderShape(QuantizedModel model, int bus) {
        var c = model.plan().model();
        DecoderShape d = DecoderShape.forModel(c.dim(), c.hiddenDim(), Integer.highestOneBit(c.headSize() * 2 - 1), c.seqLen(),
                c.vocabSize(), bus, 3 * DecoderProgram.VrfLayout.lowRankSlotWords(DecoderProgram.maxRank(model)));
        boolean adaptive = model.plan().tensors().stream().anyMatch(t -> t.activationPolicy() != null);
        return adaptive ? d.withAdaptiveActivations() : d;
    }

    public Result compile(Path planDir, Board board, Path out, boolean replace) throws IOException {
        return compile(planDir, board, out, replace, Optional.empty());
    }

    /** @param overlay hardware the build must at least contain (more widths, groups, larger buffers) */
    public Result compile(Path planDir, Board board, Path out, boolean replace, Optional<Overlay> overlay) throws IOException {
        QuantizedModel model = PlanReader.load(planDir);
        BuildImages images = BuildImages.create(model, board); // refuses unsupported tensors before anything is printed
        ArrayShape shape = arrayShape(images, model);
        DecoderShape decoder = decoderShape(model, board.busWidthBits());
        if (overlay.isPresent()) {
            shape = shape.union(overlay.get().array());
            decoder = decoder.union(overlay.get().decoder());
        }
        if (packedLanes) shape = shape.withPackedLanes();
        if (shape.packedLanes()) { // asked for here or by the overlay
            var refusal = shape.packingRefusal();
            if (refusal.isPresent()) throw BadInputException.inFile(planDir, "cannot pack lanes (--packed-lanes): " + refusal.get());
        }
        progress.println("compile: packed " + images.regions().size() + " linear tensors for " + board.name()
                + " (" + board.busWidthBits() + "-bit bus)" + (shape.packedLanes() ? ", lanes paired" : ""));
        Map<String, String> rtl = RtlGenerator.generate(shape, decoder);
        Map<String, String> hls = HlsGenerator.generate(new HlsModel(shape, decoder, images.manifest(),
                model.plan().model()));
        try (AtomicDirectory dir = AtomicDirectory.create(out, replace)) {
            Path rtlDir = Files.createDirectories(dir.dir().resolve(RTL_DIR));
            List<Path> sources = new ArrayList<>();
            for (var e : rtl.entrySet()) {
                Path f = rtlDir.resolve(e.getKey());
                Files.writeString(f, e.getValue());
                sources.add(f);
            }
            // the HLS kernel and, beside it, the vendor flow that names its files (docs/vitis-flow.md)
            writeFiles(dir.dir().resolve(HLS_DIR), hls);
            writeFiles(dir.dir().resolve(HLS_DIR), VitisFlow.filesFor(board));
            progress.println("compile: verilator --lint-only -Wall on " + sources.size() + " files");
            VerilogLint.of(TOP, sources).run().requireClean();
            Optional<SynthesisResult> synth = Optional.empty();
            String resources;
            if (synthesize) {
                progress.println("compile: yosys synthesis for " + board.family().yosysName() + " (cached by source hash)");
                SynthesisResult s = YosysSynthesis.forBoard(board, TOP, sources).withProgress(progress, Duration.ofSeconds(20)).run();
                FitCheck fit = FitCheck.of(s.usage(), board);
                fit.requireFits();
                Files.writeString(dir.dir().resolve("resources.svg"), ResourceReport.svg(fit));
                resources = ResourceReport.markdown(fit) + "\nYosys " + s.yosysVersion() + ", " + String.format("%.1f", s.seconds())
                        + " s" + (s.cacheHit() ? " (cached)" : "") + ".\n";
                synth = Optional.of(s);
            } else {
                resources = "Not synthesized (compile --no-synth): resource use and fit are unchecked.\n";
            }
            Files.write(dir.dir().resolve("weights.img"), images.weights());
            Files.write(dir.dir().resolve(Manifest.TABLES_IMG), images.tables());
            Files.write(dir.dir().resolve("program.img"), images.program());
            Files.write(dir.dir().resolve("manifest.json"), ManifestJson.write(images.manifest()));
            copyPlan(planDir, dir.dir().resolve(PLAN_DIR), model.plan());
            Files.writeString(dir.dir().resolve("report.md"), BuildReport.markdown(model, board, images, shape.packedLanes(), resources));
            dir.commit();
            return new Result(dir.target(), images, synth);
        }
    }

    private static void writeFiles(Path dir, Map<String, String> files) throws IOException {
        for (var e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
    }

    private static void copyPlan(Path from, Path to, Plan plan) throws IOException {
        Files.createDirectories(to);
        Files.copy(from.resolve(Plan.PLAN_JSON), to.resolve(Plan.PLAN_JSON));
        Files.copy(from.resolve(plan.tensorsFile()), to.resolve(plan.tensorsFile()));
        if (Files.exists(from.resolve(PlanTokenizer.FILE))) Files.copy(from.resolve(PlanTokenizer.FILE), to.resolve(PlanTokenizer.FILE));
    }
}
