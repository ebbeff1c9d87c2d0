package dev.bitweave.cli;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SyntheticCheckpoint;
import dev.bitweave.plan.Plan;
import dev.bitweave.runtime.BadInputException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MODEL every command accepts: a checkpoint file (llama2.c .bin or GGUF), a plan directory,
 * or a synthetic model of a real model's shape.
 */
public final class ModelSource {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "checkpoint (.bin llama2.c, .gguf) or plan directory")
    Path path;

    @Option(names = "--synthetic", paramLabel = "SHAPE",
            description = "use a deterministic synthetic model: stories260k, stories15m, stories110m, llama2-7b")
    String synthetic;

    @Option(names = "--seed-weights", paramLabel = "N", defaultValue = "1",
            description = "seed of the synthetic weights (default ${DEFAULT-VALUE})")
    long weightSeed;

    boolean isPlan() {
        return path != null && Files.isDirectory(path) && Files.exists(path.resolve(Plan.PLAN_JSON));
    }

    boolean given() {
        return path != null || synthetic != null;
    }

    void requireOne() {
        if (path != null && synthetic != null) throw new BadInputException("give either MODEL or --synthetic, not both");
        if (path == null && synthetic == null) throw new BadInputException("no model: give a checkpoint, a plan directory or --synthetic SHAPE");
    }

    Checkpoint openCheckpoint() throws IOException {
        requireOne();
        if (synthetic != null) return SyntheticCheckpoint.of(synthetic, weightSeed);
        if (Files.isDirectory(path)) {
            throw BadInputException.inFile(path, isPlan() ? "is a plan; this command needs a checkpoint" : "is a directory without plan.json");
        }
        return CheckpointOpener.open(path);
    }

    /** The model's own vocabulary: embedded (GGUF) or made up for synthetic models. */
    static java.util.Optional<dev.bitweave.runtime.text.Vocabulary> vocabularyOf(Checkpoint ckpt) {
        if (ckpt.vocabulary().isPresent()) return ckpt.vocabulary();
        if (ckpt instanceof SyntheticCheckpoint) {
            return java.util.Optional.of(dev.bitweave.importer.SyntheticVocabulary.of(ckpt.config().vocabSize()));
        }
        return java.util.Optional.empty();
    }

    String describe() {
        return synthetic != null ? "synthetic:" + synthetic + " (seed " + weightSeed + ")" : path.toString();
    }
}
