package dev.bitweave.reference;

import dev.bitweave.runtime.generate.Decoder;
import dev.bitweave.runtime.generate.Generator;
import dev.bitweave.runtime.generate.Step;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the reference runs of llama2.c's run.c in ../shared/reference, with its run.c
 * arguments, and how to repeat it on a decoder.
 */
record ReferenceRun(String name, String prompt, float temperature, float topp, long seed, int steps) {
    static final ReferenceRun BOS_GREEDY = new ReferenceRun("stories260K.bos.greedy", null, 0.0f, 0.9f, 1, 256);
    static final ReferenceRun ONCE_GREEDY = new ReferenceRun("stories260K.once.greedy", "Once upon a time", 0.0f, 0.9f, 1, 256);
    static final ReferenceRun LILY_SAMPLED = new ReferenceRun("stories260K.lily.t1-p0.9-s42", "Lily", 1.0f, 0.9f, 42, 256);

    static Path shared(String relative) {
        String shared = System.getProperty("bitweave.shared");
        if (shared == null) {
            throw new IllegalStateException("system property bitweave.shared is not set (surefire sets it from the parent pom)");
        }
        return Path.of(shared).resolve(relative);
    }

    static Tokenizer tok512() {
        return new Tokenizer(TokenizerFile.read(shared("models/tok512.bin"), 512));
    }

    List<String> expectedIds() throws IOException {
        return Files.readAllLines(shared("reference/" + name + ".ids"));
    }

    String expectedText() throws IOException {
        return Files.readString(shared("reference/" + name + ".txt"), StandardCharsets.ISO_8859_1);
    }

    /** What run.c would print and the .ids lines, produced by the generate loop over {@code decoder}. */
    Output runOn(Decoder decoder, Tokenizer tokenizer) {
        Sampler sampler = new Sampler(decoder.vocabSize(), temperature, topp, seed);
        List<String> ids = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Generator(decoder, tokenizer, sampler).generate(prompt, steps, (Step s) -> {
            ids.add(s.idsLine());
            printed.writeBytes(Tokenizer.printable(s.piece()));
        });
        printed.write('\n'); // run.c ends the text with a newline
        return new Output(ids, printed.toString(StandardCharsets.ISO_8859_1));
    }

    /** text holds the printed bytes as ISO-8859-1 chars so that a byte-level comparison is exact. */
    record Output(List<String> ids, String text) {
    }
}
