package dev.bitweave.cli;

import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.Drivers;
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
        description = {"Generate text from a checkpoint, a plan or a build, printing it as it is produced.",
                "Backends: float (fp32, reproduces llama2.c run.c), reference (the bit-exact integer decoder)",
                "and sim (a build's generated hardware, cycle by cycle in Verilator)."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelSource model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "float | reference | sim | csim (the build's HLS kernel in C simulation) (default: float for checkpoints, reference for plans, sim for builds)")
    String backend;

    @Option(names = "--board", paramLabel = "NAME", description = "with a build: the board it must be built for")
    String board;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "200000000",
            description = "sim: a decode step that runs longer ends with an error naming the program entry reached (default ${DEFAULT-VALUE})")
    long maxCycles;

    @Option(names = "--driver", paramLabel = "sim|xrt|zynq", defaultValue = "sim",
            description = "with a build on the sim backend: the board driver (docs/board-abi.md; default ${DEFAULT-VALUE})")
    String driver;

    @Option(names = "--driver-config", paramLabel = "KEY=VALUE;...", defaultValue = "",
            description = "the driver's config string (xrt: xclbin=...; zynq: uio=...;mem=...); sim: empty = the build's memory model")
    String driverConfig;

    @Option(names = "--recipe", paramLabel = "PRESET|FILE", defaultValue = "w8a8",
            description = "recipe used when the reference backend runs a checkpoint (default ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--ids", description = "print 'POS NEXT' lines (the format of llama2.c reference .ids files) instead of text")
    boolean ids;

    @Option(names = "--json", description = "with a build on a board: print one JSON record (tokens, text, statistics) instead of the text")
    boolean json;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        sampling.validate();
        if (maxCycles <= 0) throw new BadInputException("--max-cycles must be positive, got " + maxCycles);
        boolean isBuild = BuildDirectory.looksLikeBuild(model.path);
        if (board != null && !isBuild) throw new BadInputException("--board applies to a build directory, not " + model.describe());
        LoadedModel.Backend b = LoadedModel.backend(backend != null ? backend : isBuild ? "sim" : model.isPlan() ? "reference" : "float");
        Drivers.Kind kind = Drivers.Kind.parse(driver);
        if (isBuild && b == LoadedModel.Backend.CSIM) {
            if (kind != Drivers.Kind.SIM || !driverConfig.isEmpty()) throw new BadInputException("--driver and --driver-config do not apply to --backend csim");
            return BoardRun.run(model.path, board, Drivers.Kind.CSIM, "", maxCycles, sampling, ids, json, parent.out, parent.err);
        }
        if ((kind != Drivers.Kind.SIM || !driverConfig.isEmpty()) && !(isBuild && b == LoadedModel.Backend.SIM)) {
            throw new BadInputException("--driver and --driver-config apply to a build on the sim backend, not " + model.describe());
        }
        if (isBuild && b == LoadedModel.Backend.SIM) {
            return BoardRun.run(model.path, board, kind, driverConfig, maxCycles, sampling, ids, json, parent.out, parent.err);
        }
        if (json) throw new BadInputException("--json applies to a build on a board (the sim backend), not " + model.describe());
        try (LoadedModel m = isBuild ? LoadedModel.openBuild(model.path, b, board) : LoadedModel.open(model, b, recipe)) {
            return generate(m);
        }
    }

    private int generate(LoadedModel m) {
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
