package dev.bitweave.cli;

import dev.bitweave.runtime.generate.Generation;
import dev.bitweave.runtime.generate.Generator;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Generate text from a checkpoint or a plan, printing it as it is produced.",
                "Backends: float (fp32, reproduces llama2.c run.c) and reference (the bit-exact integer decoder)."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelSource model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--backend", paramLabel = "NAME", description = "float | reference (default: float for checkpoints, reference for plans)")
    String backend;

    @Option(names = "--recipe", paramLabel = "PRESET|FILE", defaultValue = "w8a8",
            description = "recipe used when the reference backend runs a checkpoint (default ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--ids", description = "print 'POS NEXT' lines (the format of llama2.c reference .ids files) instead of text")
    boolean ids;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        sampling.validate();
        LoadedModel.Backend b = LoadedModel.backend(backend != null ? backend : model.isPlan() ? "reference" : "float");
        LoadedModel m = LoadedModel.open(model, b, recipe);
        Tokenizer tok = new Tokenizer(m.vocabularyOr(sampling.tokenizer));
        Sampler sampler = new Sampler(m.decoder().vocabSize(), sampling.temperature, sampling.topp, sampling.seedOrTime());
        PrintStream out = parent.out;
        long start = System.nanoTime();
        Generation g = new Generator(m.decoder(), tok, sampler).generate(sampling.prompt, sampling.steps, step -> {
            if (ids) {
                out.println(step.idsLine());
            } else {
                byte[] text = Tokenizer.printable(step.piece());
                out.write(text, 0, text.length);
            }
            out.flush();
        });
        if (!ids) out.println();
        out.flush();
        double secs = (System.nanoTime() - start) / 1e9;
        parent.err.printf("%s: %d steps, %.1f tok/s%n", m.description(), g.forwardSteps(), g.forwardSteps() / secs);
        return Main.OK;
    }
}
