package dev.bitweave.cli;

import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `quantize` refuses a bad recipe or output before it writes anything: exit 2, one line naming
 * the preset, the recipe file with the JSON path of the bad field, or the output directory;
 * no plan and no temp directory left, and an existing directory left exactly as it was.
 */
class BadRecipeCliTest {
    @TempDir
    Path tmp;

    @Test
    void unknownPresetListsThePresets() throws IOException {
        String msg = quantizeRefused("w9a9");
        Cli.assertMentions(msg, "'w9a9'", "w8a8", "w4a8-g32", "w4a8-gse32", "w3a8-g32", "w2a8-g16", "fp8a8", "native");
    }

    @Test
    void recipeWithNineBitWeights() throws IOException {
        Path r = recipe("bits9.json", "{\"weights\": {\"format\": \"int\", \"bits\": 9, \"groupSize\": 32}}");
        Cli.assertMentions(quantizeRefused(r.toString()), r + ": $.weights.bits: 9", "2..8");
    }

    @Test
    void recipeWithUnknownFormat() throws IOException {
        Path r = recipe("format.json", "{\"weights\": {\"format\": \"int7\", \"bits\": 4}}");
        Cli.assertMentions(quantizeRefused(r.toString()), r + ": $.weights.format: ", "\"int7\"", "fp8-e4m3");
    }

    @Test
    void recipeWithNegativeGroupSize() throws IOException {
        Path r = recipe("group.json", "{\"weights\": {\"bits\": 4, \"groupSize\": -1}}");
        Cli.assertMentions(quantizeRefused(r.toString()), r + ": $.weights.groupSize: -1");
    }

    @Test
    void recipeWithBadOverrideNamesItsIndex() throws IOException {
        Path r = recipe("override.json", "{\"weights\": {\"bits\": 4, \"groupSize\": 32},"
                + " \"overrides\": [{\"match\": \"blk.*.ffn_*\", \"bits\": 8}, {\"match\": \"output\", \"bits\": 1}]}");
        Cli.assertMentions(quantizeRefused(r.toString()), r + ": $.overrides[1].bits: 1");
    }

    @Test
    void recipeThatIsNotJson() throws IOException {
        Path r = recipe("syntax.json", "{\"weights\": {\"bits\": 4,}\n");
        Cli.assertMentions(quantizeRefused(r.toString()), r + ": not valid JSON at line 1");
    }

    @Test
    void missingRecipeFile() throws IOException {
        Path r = tmp.resolve("absent.json");
        Cli.assertMentions(quantizeRefused(r.toString()), r + ": recipe file not found");
    }

    /** Without --force an existing directory is refused and keeps every byte it had. */
    @Test
    void existingOutputWithoutForceIsKeptIntact() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "do not delete");
        Files.createDirectories(out.resolve("sub"));
        Files.writeString(out.resolve("sub").resolve("more.txt"), "nor this");

        String msg = Cli.badInput("quantize", SharedModels.stories260kBin(), "--recipe", "w8a8", "-o", out);
        Cli.assertMentions(msg, out + ": already exists", "--force");

        assertEquals("do not delete", Files.readString(out.resolve("notes.txt")));
        assertEquals("nor this", Files.readString(out.resolve("sub").resolve("more.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "only the untouched directory may be there");
        }
    }

    private String quantizeRefused(String recipe) throws IOException {
        Path out = tmp.resolve("plan");
        String msg = Cli.badInput("quantize", SharedModels.stories260kBin(), "--recipe", recipe, "-o", out);
        Cli.assertNoOutputLeft(out);
        return msg;
    }

    private Path recipe(String name, String json) throws IOException {
        return Files.writeString(tmp.resolve(name), json);
    }
}
