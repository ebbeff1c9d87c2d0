package dev.bitweave.cli;

import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Plans are data written deterministically (ARCHITECTURE.md, decision 5): the same checkpoint
 * and recipe give byte-identical files, whatever the output directory is called, so plans can
 * be diffed, cached and checked into a build by hash.
 */
class QuantizeDeterminismCliTest {
    private static final List<String> FILES = List.of("plan.json", "tensors.bin", "tokenizer.bin");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({"w8a8, bin", "w4a8-g32, bin", "w4a8-gse32, bin", "w3a8-g32, bin", "w2a8-g16, bin", "fp8a8, bin",
            "native, gguf", "w4a8-g32, gguf"})
    void quantizingTwiceGivesIdenticalBytes(String preset, String model) throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("elsewhere").resolve("second");
        quantize(preset, model, first);
        quantize(preset, model, second);
        for (String f : FILES) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(second.resolve(f)), f + " differs");
        }
        // nothing else in a plan that could differ unnoticed
        assertEquals(FILES, list(first));
        assertEquals(FILES, list(second));
    }

    private static void quantize(String preset, String model, Path out) {
        if (model.equals("bin")) {
            Cli.ok("quantize", SharedModels.stories260kBin(), "--recipe", preset, "-o", out, "--tokenizer", SharedModels.tok512());
        } else {
            Cli.ok("quantize", SharedModels.stories260kGguf(), "--recipe", preset, "-o", out);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
