package dev.bitweave.cli;

import dev.bitweave.runtime.BadInputException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Generation flags shared by run and demo, spelled as llama2.c's run spells them. */
final class SamplingOptions {
    @Option(names = {"-i", "--prompt"}, paramLabel = "TEXT", defaultValue = "", description = "prompt (default: empty, BOS only)")
    String prompt;

    @Option(names = "-n", paramLabel = "N", defaultValue = "256", description = "forward steps including the prompt, capped at seq_len (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "-t", paramLabel = "TEMP", defaultValue = "1.0", description = "temperature, 0 = greedy (default ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "-p", paramLabel = "TOPP", defaultValue = "0.9", description = "top-p nucleus sampling, 1 = off (default ${DEFAULT-VALUE})")
    float topp;

    @Option(names = "-s", paramLabel = "SEED", description = "random seed (default: the current time, as run.c)")
    Long seed;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "llama2.c tokenizer.bin (default: the model's own vocabulary)")
    Path tokenizer;

    void validate() {
        if (steps < 1) throw new BadInputException("-n " + steps + ": must be at least 1");
        if (!(temperature >= 0) || Float.isInfinite(temperature)) throw new BadInputException("-t " + temperature + ": must be >= 0");
        if (!(topp >= 0 && topp <= 1)) throw new BadInputException("-p " + topp + ": must be in [0, 1]");
    }

    long seedOrTime() {
        return seed != null ? seed : System.currentTimeMillis() / 1000;
    }
}
