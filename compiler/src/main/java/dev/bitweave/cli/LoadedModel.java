package dev.bitweave.cli;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.cosim.BuildDirectory;
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
record LoadedModel(Decoder decoder, Optional<Vocabulary> vocabulary, String description) implements AutoCloseable {

    enum Backend { FLOAT, REFERENCE, SIM, CSIM }

    static Backend backend(String name) {
        return switch (name) {
            case "float" -> Backend.FLOAT;
            case "reference" -> Backend.REFERENCE;
            case "sim" -> Backend.SIM;
            case "csim" -> Backend.CSIM;
            default -> throw new BadInputException("unknown backend '" + name + "' (expected float, reference or sim, or csim: a build's HLS kernel in C simulation)");
        };
    }

    /** A build directory on the integer reference of its plan copy (a board backend goes through BoardRun). */
    static LoadedModel openBuild(Path dir, Backend backend, String board) throws IOException {
        BuildDirectory build = BuildDirectory.open(dir);
        if (board != null && !board.equals(build.manifest().board().name())) {
            throw BadInputException.inFile(dir, "is built for " + build.manifest().board().name() + ", not " + board
                    + " (compile the plan with --board " + board + ")");
        }
        Path planDir = dir.resolve(BuildCompiler.PLAN_DIR);
        var model = build.plan();
        Optional<Vocabulary> vocab = PlanTokenizer.read(planDir, model.plan().model().vocabSize());
        return switch (backend) {
            case FLOAT -> throw BadInputException.inFile(dir, "is a build; the float backend needs the checkpoint (use --backend sim or reference)");
            case REFERENCE -> new LoadedModel(new IntegerTransformer(model), vocab, "build " + dir + " on the integer reference");
            // RunCommand sends sim and csim through the host runtime's board path (BoardRun)
            case SIM, CSIM -> throw new IllegalStateException("the " + backend + " backend runs through BoardRun");
        };
    }

    @Override
    public void close() throws Exception {
        if (decoder instanceof AutoCloseable c) c.close();
    }

    /**
     * @param recipe used when the reference backend is asked to run a checkpoint: it is quantized
     *               on the fly into a temporary plan
     */
    static LoadedModel open(ModelSource src, Backend backend, String recipe) throws IOException {
        src.requireOne();
        if (backend == Backend.SIM || backend == Backend.CSIM) {
            throw new BadInputException("the " + backend.name().toLowerCase(java.util.Locale.ROOT) + " backend runs a build directory (./bitweave compile PLAN --board NAME -o BUILD), not "
                    + src.describe());
        }
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
