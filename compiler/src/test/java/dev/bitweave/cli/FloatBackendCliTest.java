package dev.bitweave.cli;

import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `bitweave run` on the float backend reproduces llama2.c's run.c token for token and byte for
 * byte (../shared/reference), from the llama2.c checkpoint with tok512 and from the GGUF with its
 * embedded vocabulary. This is the whole user path: argument parsing, import, tokenizer, sampler
 * (with run.c's xorshift RNG for the seeded run) and the printing.
 */
class FloatBackendCliTest {

    /** The three reference runs: file stem and run.c's flags (-n 256 is run.c's default). */
    static Stream<Arguments> runs() {
        List<Arguments> all = new ArrayList<>();
        for (String model : List.of("bin", "gguf")) {
            all.add(Arguments.of(model, "stories260K.bos.greedy", List.of("-t", "0")));
            all.add(Arguments.of(model, "stories260K.once.greedy", List.of("-t", "0", "-i", "Once upon a time")));
            all.add(Arguments.of(model, "stories260K.lily.t1-p0.9-s42", List.of("-t", "1.0", "-p", "0.9", "-s", "42", "-i", "Lily")));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}.ids")
    @MethodSource("runs")
    void idsEqualRunC(String model, String reference, List<String> flags) throws IOException {
        Cli.Result r = Cli.ok(args(model, flags, "--ids"));
        assertEquals(Files.readAllLines(SharedModels.reference(reference + ".ids")), r.outLines(), r::describe);
    }

    /**
     * run prints the prompt's pieces and then the generated ones, then one newline, as run.c does,
     * so stdout must equal the .txt file exactly, trailing newline included.
     */
    @ParameterizedTest(name = "{0}: {1}.txt")
    @MethodSource("runs")
    void textEqualsRunC(String model, String reference, List<String> flags) throws IOException {
        Cli.Result r = Cli.ok(args(model, flags));
        byte[] expected = Files.readAllBytes(SharedModels.reference(reference + ".txt"));
        // ISO-8859-1 renders every byte as one char, so a failure shows where the texts part
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1), new String(r.stdout(), StandardCharsets.ISO_8859_1));
        assertArrayEquals(expected, r.stdout());
    }

    private static Object[] args(String model, List<String> flags, String... more) {
        List<Object> a = new ArrayList<>();
        a.add("run");
        if (model.equals("bin")) {
            a.add(SharedModels.stories260kBin());
            a.add("--tokenizer");
            a.add(SharedModels.tok512());
        } else {
            a.add(SharedModels.stories260kGguf()); // GGUF carries its own vocabulary
        }
        a.addAll(flags);
        a.addAll(List.of("-n", "256"));
        a.addAll(List.of(more));
        return a.toArray();
    }
}
