package dev.bitweave.cli;

import dev.bitweave.runtime.DirectoryTree;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.PlanTokenizer;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.generate.Decoder;
import dev.bitweave.runtime.text.TokenizerFile;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A decoder ready to run, with the vocabulary that came with its model (if any). */
record LoadedModel(Decoder decoder, Optional<Vocabulary> vocabulary, String description) {

    enum Backend { FLOAT, REFERENCE }

    static Backend backend(String name) {
        return switch (name) {
            case "float" -> Backend.FLOAT;
            case "reference" -> Backend.REFERENCE;
            default -> throw new BadInputException("unknown backend '" + name + "' (expected float or reference)");
        };
    }

    /**
     * @param recipe used when the reference backend is asked to run a checkpoint: it is quantized
     *               on the fly into a temporary plan
     */
    static LoadedModel open(ModelSource src, Backend backend, String recipe) throws IOException {
        src.requireOne();
        if (src.isPlan()) {
            if (backend == Backend.FLOAT) {
                throw BadInputException.inFile(src.path, "is a quantized plan; the float backend needs the checkpoint (use --backend reference)");
            }
            var model = PlanReader.load(src.path);
            return new LoadedModel(new IntegerTransformer(model), PlanTokenizer.read(src.path, model.plan().model().vocabSize()),
                    "plan " + src.path + " (" + model.plan().recipe() + ")");
        }
        try (Checkpoint ckpt = src.openCheckpoint()) {
            Optional<Vocabulary> vocab = ModelSource.vocabularyOf(ckpt);
            if (backend == Backend.FLOAT) {
                return new LoadedModel(FloatTransformer.load(ckpt), vocab, src.describe() + " (fp32)");
            }
            Path tmp = Files.createTempDirectory("bitweave-plan-");
            Path planDir = tmp.resolve("plan");
            try {
                new PlanQuantizer(RecipeReader.resolve(recipe), p -> { }).quantize(ckpt, planDir, false);
                var model = PlanReader.load(planDir);
                return new LoadedModel(new IntegerTransformer(model), vocab, src.describe() + " quantized with " + recipe);
            } finally {
                DirectoryTree.deleteQuietly(tmp);
            }
        }
    }

    /** The tokenizer to use: --tokenizer, else the model's own vocabulary. */
    Vocabulary vocabularyOr(Path tokenizerFile) {
        if (tokenizerFile != null) return TokenizerFile.read(tokenizerFile, decoder.vocabSize());
        return vocabulary.orElseThrow(() -> new BadInputException(
                "missing tokenizer: " + description + " has no vocabulary of its own; pass --tokenizer FILE (llama2.c tokenizer.bin)"));
    }

}
