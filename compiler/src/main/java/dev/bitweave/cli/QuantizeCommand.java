package dev.bitweave.cli;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.quantize.ActivationAwareScaling;
import dev.bitweave.quantize.FormatChoice;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.Recipe;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.quantize.mixed.BitAllocation;
import dev.bitweave.quantize.mixed.MixedPrecisionSearch;
import dev.bitweave.runtime.text.TokenizerFile;
import dev.bitweave.runtime.text.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize a checkpoint into a plan directory (plan.json + tensors.bin).",
                "Presets: w8a8, w8a4 (4-bit activations), w4a8-g32, w4a8-gse32, w3a8-g32, w2a8-g16, fp8a8, awq-w4a8-g32, awq-w3a8-g32,",
                "awq-w2a8-g16 (activation-aware), w3a8-g32-lr8, w2a8-g16-lr8 (low-rank correction), fmt-w8a8, fmt-w4a8-g32 (int or float",
                "per layer), sal-w3a8-g32, sal-w2a8-g16 (salient channels at 8 bits), ada-w8a8, ada-w4a8-g32 (4- or 8-bit activations",
                "per token), mixed-3.0, mixed-2.5 (widths per layer by sensitivity), native (keep GGUF Q8_0/Q4_0 exactly);",
                "or a recipe.json (docs/quantization.md)."})
public final class QuantizeCommand implements Callable<Integer> {
    @Mixin
    ModelSource model;

    @Option(names = "--recipe", required = true, paramLabel = "PRESET|FILE", description = "preset name or recipe.json")
    String recipe;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PLAN_DIR", description = "plan directory to create")
    Path output;

    @Option(names = "--force", description = "replace PLAN_DIR if it exists")
    boolean force;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "llama2.c tokenizer.bin to store with the plan (GGUF vocabularies are stored automatically)")
    Path tokenizer;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        Recipe r = RecipeReader.resolve(recipe);
        try (Checkpoint ckpt = model.openCheckpoint()) {
            Optional<Vocabulary> vocab = tokenizer != null
                    ? Optional.of(TokenizerFile.read(tokenizer, ckpt.config().vocabSize())) : ModelSource.vocabularyOf(ckpt);
            long t0 = System.nanoTime();
            if (r.mixedPrecision() != null) {
                MixedPrecisionSearch.Result mixed = MixedPrecisionSearch.run(ckpt, r, parent.err::println);
                printWidths(mixed.allocation());
                r = mixed.recipe();
            }
            ProgressLine progress = new ProgressLine(parent.err, "quantize");
            PlanQuantizer quantizer = new PlanQuantizer(r, progress::update);
            Path out = quantizer.quantize(ckpt, output, force, vocab);
            progress.done();
            for (FormatChoice.Decision d : quantizer.lastFormats()) {
                parent.out.printf("format: %s: %s (calibration output error int %.4g, float %.4g)%n", d.tensor(),
                        d.chosen().format().id(), d.intError(), d.floatError());
            }
            quantizer.lastScales().ifPresent(sc -> {
                for (ActivationAwareScaling.Group g : sc.groups()) {
                    parent.out.printf("activation-aware: input of %s: alpha %.1f, clip %s; calibration output error %.4g"
                                    + " (RTN %.4g, scaled %.4g); %s%n", String.join("/", g.consumers()), g.alpha(),
                            java.util.Arrays.toString(g.clips()), g.errorClipped(), g.errorRtn(), g.errorScaled(),
                            g.foldInto().isEmpty() ? "clipping only" : "folded into " + g.foldInto());
                }
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = ckpt.tensors().stream().mapToLong(t -> 4 * t.elements()).sum();
            parent.out.printf("wrote %s from %s with recipe %s (%.1f MB of fp32 weights in %.2f s)%n", out, ckpt.source(),
                    r.name(), bytes / 1e6, secs);
        }
        return Main.OK;
    }

    private void printWidths(BitAllocation.Result a) {
        parent.out.printf("mixed precision: target %.2f bits per weight as packed (codes + scale fields), reached %.4f%n",
                a.targetBits(), a.averageBits());
        parent.out.printf("%-20s %9s %5s %12s %14s%n", "tensor", "elements", "bits", "packed b/w", "KL if alone");
        for (BitAllocation.Choice c : a.choices()) {
            parent.out.printf("%-20s %9d %5d %12.4f %14.6f%n", c.tensor(), c.elements(), c.option().bits(),
                    c.option().packedBits() / (double) c.elements(), c.option().kl());
        }
    }
}
