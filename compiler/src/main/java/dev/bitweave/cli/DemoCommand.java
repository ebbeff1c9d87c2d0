package dev.bitweave.cli;

import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.PlanTokenizer;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.generate.Generator;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;
import dev.bitweave.runtime.text.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job end to end: quantize a model, check it against the float model, generate text",
                "with the bit-exact integer reference backend, compile it for a board and co-simulate every linear",
                "layer in Verilator. Uses the checkpoint given, else a deterministic synthetic stories260K-shaped",
                "model (random weights: its text is gibberish, but every step is real)."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ModelSource model;

    @Option(names = "--recipe", paramLabel = "PRESET|FILE", defaultValue = "w8a8", description = "recipe (default ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "llama2.c tokenizer.bin for a .bin checkpoint")
    Path tokenizer;

    @Option(names = {"-i", "--prompt"}, paramLabel = "TEXT", defaultValue = "Once upon a time", description = "prompt (default: ${DEFAULT-VALUE})")
    String prompt;

    @Option(names = "-n", paramLabel = "N", defaultValue = "96", description = "forward steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = {"-o", "--output"}, paramLabel = "PLAN_DIR", defaultValue = "out/demo-plan", description = "where the plan goes (default ${DEFAULT-VALUE}, replaced)")
    Path output;

    @Option(names = "--board", paramLabel = "NAME", defaultValue = "kria-kv260", description = "board to compile for (default ${DEFAULT-VALUE})")
    String board;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        if (!model.given()) model.synthetic = "stories260k";
        var out = parent.out;
        out.println("== model: " + (model.synthetic != null
                ? model.describe() + " -- no checkpoint given, so a synthetic model with random weights (text will be gibberish)"
                : model.describe()));
        try (Checkpoint ckpt = model.openCheckpoint()) {
            var c = ckpt.config();
            out.printf("   dim %d, hidden %d, %d layers, %d heads (%d kv), vocab %d, seq_len %d%n", c.dim(), c.hiddenDim(),
                    c.layers(), c.heads(), c.kvHeads(), c.vocabSize(), c.seqLen());
            Optional<Vocabulary> vocab = tokenizer != null ? Optional.of(TokenizerFile.read(tokenizer, c.vocabSize())) : ModelSource.vocabularyOf(ckpt);
            out.println("== quantize with " + recipe + " -> " + output);
            long t0 = System.nanoTime();
            new PlanQuantizer(RecipeReader.resolve(recipe), p -> { }).quantize(ckpt, output, true, vocab);
            out.printf("   done in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            var plan = PlanReader.load(output);
            Vocabulary v = PlanTokenizer.read(output, c.vocabSize()).orElse(null);
            if (v == null) {
                throw new dev.bitweave.runtime.BadInputException("missing tokenizer: " + model.describe()
                        + " has no vocabulary; pass --tokenizer FILE (llama2.c tokenizer.bin)");
            }
            Tokenizer tok = new Tokenizer(v);
            int[] promptIds = tok.encode(prompt, true, false);
            int n = Math.min(steps, c.seqLen());
            out.println("== eval: integer reference vs fp32, teacher-forced over " + n + " positions");
            var r = TeacherForcedEval.run(FloatTransformer.load(ckpt), new IntegerTransformer(plan), promptIds, n);
            out.printf("   top-1 agreement %.4f, mean KL %.6f nats%n", r.top1Agreement(), r.meanKl());
            out.println("== generate (reference backend, greedy, " + n + " steps):");
            long t1 = System.nanoTime();
            var g = new Generator(new IntegerTransformer(plan), tok, new Sampler(c.vocabSize(), 0f, 0.9f, 1)).generate(prompt, n, s -> {
                byte[] b = Tokenizer.printable(s.piece());
                out.write(b, 0, b.length);
                out.flush();
            });
            out.println();
            out.printf("== %d steps in %.2f s on the Java reference backend%n", g.forwardSteps(), (System.nanoTime() - t1) / 1e9);
            var b = dev.bitweave.board.BoardCatalog.resolve(board);
            Path build = output.resolveSibling(output.getFileName() + "-" + b.name());
            out.println("== compile for " + b.name() + " -> " + build + " (Verilog, images, Yosys synthesis and fit check)");
            var built = new dev.bitweave.backend.BuildCompiler(parent.err, true).compile(output, b, build, true);
            built.synthesis().ifPresent(syn -> out.printf("   %d LUTs, %d FFs, %d DSPs, %d BRAM bits on %s%n", syn.usage().luts(),
                    syn.usage().ffs(), syn.usage().dsps(), syn.usage().bramBits(), b.part()));
            out.println("== cosim: every linear layer cycle by cycle in Verilator against the Java reference");
            var cos = new dev.bitweave.cosim.Cosim(build, parent.err).run(java.util.Optional.empty(), java.util.Optional.empty());
            long cycles = cos.layers().stream().mapToLong(dev.bitweave.cosim.Cosim.LayerResult::cycles).sum();
            long roof = cos.layers().stream().mapToLong(dev.bitweave.cosim.Cosim.LayerResult::rooflineCycles).sum();
            out.printf("   %d layers, %s; %d cycles for all of them, memory roofline %d (%.3f)%n", cos.layers().size(),
                    cos.allMatch() ? "all bit-exact" : "MISMATCHES", cycles, roof, roof / (double) Math.max(1, cycles));
            if (!cos.allMatch()) return Main.FAILURE;
            int simSteps = Math.min(16, n);
            out.println("== generate on the simulated board (the whole decode step in the generated hardware, greedy, "
                    + simSteps + " steps), checked token by token against the reference:");
            try (var sim = dev.bitweave.cosim.SimDecoder.open(dev.bitweave.cosim.BuildDirectory.open(build), parent.err, 100_000_000L)) {
                java.util.List<Integer> refIds = new java.util.ArrayList<>();
                java.util.List<Integer> simIds = new java.util.ArrayList<>();
                new Generator(new IntegerTransformer(plan), tok, new Sampler(c.vocabSize(), 0f, 0.9f, 1)).generate(prompt, simSteps,
                        s -> refIds.add(s.next()));
                new Generator(sim, tok, new Sampler(c.vocabSize(), 0f, 0.9f, 1)).generate(prompt, simSteps, s -> {
                    simIds.add(s.next());
                    byte[] bytes = Tokenizer.printable(s.piece());
                    out.write(bytes, 0, bytes.length);
                    out.flush();
                });
                out.println();
                long simCycles = sim.steps().stream().mapToLong(dev.bitweave.runtime.api.StepCycles::cycles).sum();
                long simRoof = sim.steps().stream().mapToLong(dev.bitweave.runtime.api.StepCycles::rooflineCycles).sum();
                boolean same = refIds.equals(simIds);
                out.printf("   %s the reference; %.0f cycles per token, %.3f of the memory roofline%n",
                        same ? "tokens equal" : "TOKENS DIFFER FROM", simCycles / (double) sim.steps().size(), simRoof / (double) simCycles);
                if (!same) return Main.FAILURE;
            }
            out.println("== csim: the HLS C++ kernel of hls/ (g++ -Werror), " + simSteps
                    + " greedy steps from BOS, every logit against the reference");
            var cs = new dev.bitweave.csim.Csim(dev.bitweave.csim.CsimCompiler.standard(parent.err), parent.err)
                    .run(dev.bitweave.cosim.BuildDirectory.open(build), simSteps);
            out.printf("   %d/%d positions bit-exact%n", cs.matched(), cs.positions());
            if (!cs.allMatch()) return Main.FAILURE;
        }
        return Main.OK;
    }
}
