package dev.bitweave.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.bench.HostBench;
import dev.bitweave.bench.QualityBench;
import dev.bitweave.bench.QualityMethod;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.cosim.DecoderBench;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.Llama2cWriter;
import dev.bitweave.importer.SyntheticCheckpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks whose results go into docs/benchmarks.md.",
                "  quantize: quantize a >= 1 GB synthetic llama2.c checkpoint in a child JVM; MB/s and peak RSS",
                "  presets:  teacher-forced top-1 agreement and KL of every preset on a checkpoint, as a markdown table",
                "  quality:  every quantization method at bit budgets 8, 4, 3, 2 and mixed averages: top-1 agreement, KL",
                "            (and perplexity with --text) against fp32, packed bits per weight, weight bits streamed per token",
                "  decoder:  whole decode steps of a plan on the simulated board: cycles per token against the memory",
                "            roofline (weights plus KV cache), for each --boards entry, as a markdown table",
                "  host:     host time per token (JNA calls, logits read, sampling, detokenizing) of a --build on the simulated",
                "            board and at a 32,000-token vocabulary, against the stories110M 4-bit KV260 token; image load MB/s"})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WHAT", description = "quantize | presets | quality | decoder | host")
    String what;

    @Option(names = "--shape", defaultValue = "llama2-7b", description = "synthetic shape for 'quantize' (default ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--layers", defaultValue = "1", description = "layers of the synthetic shape (default ${DEFAULT-VALUE}: 1.9 GB for llama2-7b)")
    int layers;

    @Option(names = "--recipe", defaultValue = "w4a8-g32", description = "recipe for 'quantize' (default ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--heap", defaultValue = "1200m", description = "child JVM -Xmx for 'quantize' (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--work", defaultValue = "out/bench", description = "work directory (default ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--checkpoint", description = "checkpoint for 'presets'")
    Path checkpoint;

    @Option(names = "-n", defaultValue = "256", description = "positions for 'presets' (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--model", description = "checkpoint for 'quality'")
    Path model;

    @Option(names = "--tokenizer", description = "quality: tokenizer for --text (default: the checkpoint's own vocabulary); host: the build's tokenizer")
    Path tokenizer;

    @Option(names = "--text", description = "quality: held-out UTF-8 text; adds a perplexity column")
    Path text;

    @Option(names = "--board", defaultValue = "kria-kv260", description = "quality: board whose weights.img layout counts the streamed bits (default ${DEFAULT-VALUE})")
    String board;

    @Option(names = "--methods", split = ",", description = "quality: only these rows, by recipe name (default: all)")
    List<String> methods;

    @Option(names = "--json", description = "quality, host: print a JSON record after the table")
    boolean json;

    @Option(names = "--plan", description = "plan for 'decoder' (else --shape's synthetic model quantized with --recipe)")
    Path plan;

    @Option(names = "--prefill", defaultValue = "0",
            description = "decoder: positions the integer reference decodes before the board takes over (its KV cache is written to the board)")
    int prefill;

    @Option(names = "--packed-lanes", description = "decoder: compile with packed lanes (compile --packed-lanes)")
    boolean packedLanes;

    @Option(names = "--boards", split = ",", defaultValue = "kria-kv260,alveo-u280", description = "boards for 'decoder' (default ${DEFAULT-VALUE})")
    List<String> boards;

    @Option(names = "--build", description = "host: a compiled build to run on the simulated board")
    Path build;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        return switch (what) {
            case "quantize" -> quantize();
            case "presets" -> presets();
            case "quality" -> quality();
            case "decoder" -> decoder();
            case "host" -> host();
            default -> throw new BadInputException("unknown benchmark '" + what + "' (expected quantize, presets, quality, decoder or host)");
        };
    }

    private int quantize() throws Exception {
        ModelConfig base = SyntheticCheckpoint.of(shape, 1).config();
        ModelConfig c = new ModelConfig(base.dim(), base.hiddenDim(), layers, base.heads(), base.kvHeads(), base.vocabSize(),
                base.seqLen(), base.ropeTheta(), base.normEps(), base.tiedClassifier());
        Files.createDirectories(work);
        Path ckpt = work.resolve("synthetic-" + shape + "-" + layers + "l.bin");
        if (!Files.exists(ckpt)) {
            parent.err.println("writing " + ckpt + " ...");
            Llama2cWriter.write(SyntheticCheckpoint.of(shape + "-" + layers + "l", c, 1), ckpt);
        }
        long bytes = Files.size(ckpt);
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", jar, Main.class.getName(),
                "quantize", ckpt.toString(), "--recipe", recipe, "-o", work.resolve("plan").toString(), "--force"));
        parent.err.println("running: " + String.join(" ", cmd));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("quantize.log").toFile()).start();
        long peakKb = 0;
        while (p.isAlive()) {
            peakKb = Math.max(peakKb, vmHwmKb(p.pid()));
            Thread.sleep(50);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IOException("quantize failed, see " + work.resolve("quantize.log"));
        parent.out.printf("checkpoint %s: %.1f MB fp32 (%s, %d layers), recipe %s%n", ckpt, bytes / 1e6, shape, layers, recipe);
        parent.out.printf("quantize: %.1f s wall (JVM start included), %.1f MB/s, peak RSS %.0f MB (child -Xmx%s)%n",
                secs, bytes / 1e6 / secs, peakKb / 1024.0, heap);
        return Main.OK;
    }

    /** Peak resident set of a live process, from /proc (Linux). */
    private static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // the process just ended
        }
        return 0;
    }

    private int presets() throws Exception {
        if (checkpoint == null) throw new BadInputException("bench presets needs --checkpoint FILE");
        parent.out.println("| preset | tensors.bin bytes | top-1 agreement | mean KL (nats) |");
        parent.out.println("|---|---|---|---|");
        for (String preset : List.of("w8a8", "w4a8-g32", "w4a8-gse32", "w3a8-g32", "w2a8-g16", "fp8a8")) {
            Path dir = work.resolve("preset-" + preset);
            try (Checkpoint ck = CheckpointOpener.open(checkpoint)) {
                new PlanQuantizer(RecipeReader.resolve(preset), p -> { }).quantize(ck, dir, true);
                var plan = PlanReader.load(dir);
                var r = TeacherForcedEval.run(FloatTransformer.load(ck), new IntegerTransformer(plan), new int[]{1}, steps);
                parent.out.printf("| %s | %d | %.4f | %.4f |%n", preset, Files.size(dir.resolve("tensors.bin")),
                        r.top1Agreement(), r.meanKl());
            }
        }
        return Main.OK;
    }

    private int quality() throws Exception {
        if (model == null) throw new BadInputException("bench quality needs --model CHECKPOINT");
        if (steps < 1) throw new BadInputException("-n " + steps + ": must be at least 1");
        List<QualityMethod> rows = methods == null ? QualityMethod.DEFAULTS : QualityMethod.select(QualityMethod.DEFAULTS, methods);
        Board b = BoardCatalog.byName(board);
        Tokenizer tok = null;
        if (text != null) {
            try (Checkpoint ck = CheckpointOpener.open(model)) {
                tok = new Tokenizer(tokenizer != null ? TokenizerFile.read(tokenizer, ck.config().vocabSize())
                        : ModelSource.vocabularyOf(ck).orElseThrow(() -> new BadInputException("missing tokenizer: " + model
                        + " has no vocabulary of its own; pass --tokenizer FILE for --text")));
            }
        }
        QualityBench.Result r = QualityBench.run(model, rows, b, steps, work, text, tok, parent.err::println);
        parent.out.printf("Model %s; teacher-forced over the fp32 greedy continuation of BOS, %d positions; weights streamed per token"
                + " on %s (%d-bit bus)%s.%n%n", r.checkpoint(), r.positions(), r.board(), r.busBits(),
                r.text() == null ? "" : String.format("; perplexity on %s (%d tokens, fp32 %.4f)", r.text(), r.textTokens(), r.floatPerplexity()));
        boolean ppl = r.text() != null;
        parent.out.println("| method | budget | recipe | packed bits/weight | weight bits streamed/token | top-1 agreement | mean KL (nats) |"
                + (ppl ? " perplexity |" : ""));
        parent.out.println("|---|---|---|---|---|---|---|" + (ppl ? "---|" : ""));
        for (QualityBench.Row row : r.rows()) {
            parent.out.printf("| %s | %s | %s | %.4f | %,d | %.4f | %.4f |%s%n", row.method().method(), row.method().budget(),
                    row.method().name(), row.packedBitsPerWeight(), row.streamedBitsPerToken(), row.top1Agreement(), row.meanKl(),
                    ppl ? String.format(" %.4f |", row.perplexity()) : "");
        }
        if (json) {
            parent.out.println();
            parent.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        }
        return Main.OK;
    }

    private int decoder() throws Exception {
        if (steps <= 0) throw new BadInputException("-n must be positive, got " + steps);
        if (prefill < 0 || prefill >= steps) throw new BadInputException("--prefill must be in [0, -n), got " + prefill);
        Files.createDirectories(work);
        Path p = plan;
        String what = p != null ? p.toString() : shape + " (synthetic, seed 1) quantized with " + recipe;
        if (p == null) {
            p = work.resolve("decoder-plan-" + shape + "-" + recipe);
            if (!Files.exists(p.resolve("plan.json"))) {
                parent.err.println("bench decoder: quantizing synthetic " + shape + " with " + recipe + " ...");
                try (Checkpoint ck = SyntheticCheckpoint.of(shape, 1)) {
                    new PlanQuantizer(RecipeReader.resolve(recipe), x -> { }).quantize(ck, p, true);
                }
            }
        }
        parent.out.println("Plan: " + what + "; decode steps from token 1, greedy; the board runs positions " + prefill + ".." + (steps - 1)
                + (prefill > 0 ? " (positions before " + prefill + " decoded by the integer reference, whose KV cache is written to the board)" : "")
                + (packedLanes ? "; packed lanes" : "") + ".");
        parent.out.println();
        parent.out.println("| board | bus | cycles/token (mean) | roofline fraction (mean) | cycles at last position | roofline fraction there | logits bit-exact | sim time |");
        parent.out.println("|---|---|---|---|---|---|---|---|");
        List<DecoderBench.Result> results = new ArrayList<>();
        for (String boardName : boards) {
            var board = BoardCatalog.byName(boardName);
            Path build = work.resolve("decoder-build-" + p.getFileName() + "-" + boardName + (packedLanes ? "-packed" : ""));
            new BuildCompiler(parent.err, false).withPackedLanes(packedLanes).compile(p, board, build, true);
            var r = DecoderBench.run(BuildDirectory.open(build), prefill, steps, parent.err);
            results.add(r);
            parent.out.printf("| %s | %d | %.0f | %.3f | %d | %.3f | %s | %.0f s |%n", r.board(), r.bus(), r.meanCycles(), r.meanEfficiency(),
                    r.lastCycles(), r.lastEfficiency(), r.bitExact() ? "yes" : "NO", r.simSeconds());
            parent.out.flush();
        }
        parent.out.println();
        parent.out.println("Cycles of the last step by op:");
        parent.out.println();
        StringBuilder head = new StringBuilder("| op |");
        StringBuilder rule = new StringBuilder("|---|");
        for (var r : results) {
            head.append(' ').append(r.board()).append(" |");
            rule.append("---|");
        }
        parent.out.println(head);
        parent.out.println(rule);
        for (String op : results.get(0).byOp().keySet()) {
            StringBuilder row = new StringBuilder("| " + op + " |");
            for (var r : results) row.append(' ').append(r.byOp().getOrDefault(op, 0L)).append(" |");
            parent.out.println(row);
        }
        return Main.OK;
    }

    private int host() throws Exception {
        if (build == null) throw new BadInputException("bench host needs --build BUILD_DIR (./bitweave compile)");
        if (!BuildDirectory.looksLikeBuild(build)) throw BadInputException.inFile(build, "is not a build directory (no manifest.json)");
        if (steps < 2) throw new BadInputException("-n " + steps + ": must be at least 2");
        HostBench.Result r = HostBench.run(build, tokenizer, steps, parent.err);
        PrintStream o = parent.out;
        o.printf("Build %s (vocabulary %d) on the simulated board; %d generated tokens (greedy, then t=1 p=0.9 seed 42), "
                + "%.0f cycles per token, %.1f ms of simulation per token.%n%n", r.build(), r.vocab(), r.hostPerToken().samples(),
                r.cyclesPerToken(), r.boardMsPerToken());
        o.println("| host work | mean (us) | median (us) | max (us) | samples |");
        o.println("|---|---|---|---|---|");
        for (HostBench.Stat s : List.of(r.hostPerToken(), r.regCall(), r.logits32k(), r.greedy32k(), r.topp32k(), r.multinomial32k(),
                r.decode32k())) {
            o.printf("| %s | %.1f | %.1f | %.1f | %d |%n", s.what(), s.mean(), s.median(), s.max(), s.samples());
        }
        o.println();
        o.printf("Host time per token at a 32,000-token vocabulary (8 register calls + logits read + the slowest sampler + a piece): "
                + "**%.3f ms**, %.2f %% of the stories110M w4a8-g32 token on the KV260 (%,d cycles: %.2f ms at 300 MHz, %.2f ms at "
                + "the board file's 250 MHz); budget 5 %% = %.3f ms: %s.%n", r.host32kMs(), 100 * r.fractionOf300(),
                HostBench.KV260_110M_CYCLES, r.onBoardMs300(), r.onBoardMs250(), HostBench.BUDGET_FRACTION * r.onBoardMs300(),
                r.fractionOf300() < HostBench.BUDGET_FRACTION ? "within" : "OVER");
        o.printf("Against the board file's 250 MHz kernel clock (the projection `run` prints): %.2f %% of %.2f ms, budget %.3f ms: %s.%n",
                100 * r.host32kMs() / r.onBoardMs250(), r.onBoardMs250(), HostBench.BUDGET_FRACTION * r.onBoardMs250(),
                r.host32kMs() < HostBench.BUDGET_FRACTION * r.onBoardMs250() ? "within" : "OVER");
        double budget = HostBench.BUDGET_FRACTION * r.onBoardMs300();
        o.printf("By sampler (mean): greedy %.3f ms (%.2f %%, %s), temperature 1 %.3f ms (%.2f %%, %s), top-p 0.9 %.3f ms (%.2f %%, %s).%n",
                r.host32kGreedyMs(), 100 * r.host32kGreedyMs() / r.onBoardMs300(), r.host32kGreedyMs() < budget ? "within" : "OVER",
                r.host32kMultinomialMs(), 100 * r.host32kMultinomialMs() / r.onBoardMs300(),
                r.host32kMultinomialMs() < budget ? "within" : "OVER",
                r.host32kToppMs(), 100 * r.host32kToppMs() / r.onBoardMs300(), r.host32kToppMs() < budget ? "within" : "OVER");
        double fixedMedian = 8 * r.regCall().median() + r.logits32k().median() + r.decode32k().median();
        o.printf("By sampler (median parts, less exposed to a busy machine): greedy %.3f ms (%.2f %%), temperature 1 %.3f ms (%.2f %%), "
                        + "top-p 0.9 %.3f ms (%.2f %%).%n", (fixedMedian + r.greedy32k().median()) / 1e3,
                (fixedMedian + r.greedy32k().median()) / 10 / r.onBoardMs300(), (fixedMedian + r.multinomial32k().median()) / 1e3,
                (fixedMedian + r.multinomial32k().median()) / 10 / r.onBoardMs300(), (fixedMedian + r.topp32k().median()) / 1e3,
                (fixedMedian + r.topp32k().median()) / 10 / r.onBoardMs300());
        o.printf("Image load into the simulated board: %,d bytes written at %.1f MB/s, read back and CRC-checked at %.1f MB/s; "
                + "raw writes of 64 MiB in 1 MiB chunks: %.1f MB/s.%n", r.load().bytes(), r.load().writeMBps(), r.load().verifyMBps(),
                r.rawWriteMBps());
        if (json) {
            o.println();
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        }
        return Main.OK;
    }
}
