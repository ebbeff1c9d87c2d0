package dev.bitweave.plan;

import dev.bitweave.runtime.text.TokenizerFile;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A plan directory may carry its vocabulary as tokenizer.bin (llama2.c format), so a plan runs
 * without pointing at the original tokenizer again.
 */
public final class PlanTokenizer {
    public static final String FILE = "tokenizer.bin";

    private PlanTokenizer() {
    }

    public static Optional<Vocabulary> read(Path planDir, int vocabSize) {
        Path f = planDir.resolve(FILE);
        return Files.exists(f) ? Optional.of(TokenizerFile.read(f, vocabSize)) : Optional.empty();
    }

    public static void write(Path planDir, Vocabulary v) throws IOException {
        TokenizerFile.write(v, planDir.resolve(FILE));
    }
}
