package dev.bitweave.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User-given descriptor files: every error names the file and the JSON path. */
class BoardDescriptorFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A packaged descriptor as an editable tree, renamed so it can live in a user file. */
    private static ObjectNode packaged(String board, String newName) throws IOException {
        try (InputStream in = BoardDescriptorFileTest.class.getClassLoader()
                .getResourceAsStream(BoardCatalog.RESOURCE_DIR + board + ".json")) {
            ObjectNode tree = (ObjectNode) JSON.readTree(in);
            tree.put("name", newName);
            return tree;
        }
    }

    private Path write(String fileName, String text) throws IOException {
        return Files.writeString(dir.resolve(fileName), text, StandardCharsets.UTF_8);
    }

    private Path write(ObjectNode tree) throws IOException {
        return write(tree.get("name").asText() + ".json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
    }

    private static String error(Path file) {
        return assertThrows(BadInputException.class, () -> BoardCatalog.load(file)).getMessage();
    }

    @Test
    void aValidUserDescriptorLoads() throws IOException {
        Board b = BoardCatalog.load(write(packaged("kria-kv260", "my-kv260")));
        Board kv260 = BoardCatalog.byName("kria-kv260");
        assertEquals("my-kv260", b.name());
        assertEquals(kv260.memory(), b.memory());
        assertEquals(kv260.references(), b.references());
        assertNull(b.platform());
    }

    /** Builds will record their board in a manifest; what Jackson writes must read back equal. */
    @Test
    void aBoardWrittenAsJsonReadsBackEqual() throws IOException {
        for (Board b : BoardCatalog.all()) {
            Path file = write(b.name() + ".json", JSON.writeValueAsString(b));
            assertEquals(b, BoardCatalog.load(file));
        }
    }

    @Test
    void negativeBandwidthNamesFileAndPath() throws IOException {
        ObjectNode t = packaged("zcu104", "bad");
        ((ObjectNode) t.get("memory")).put("peakBandwidthBytesPerSecond", -1);
        Path f = write(t);
        assertEquals(f + ": $.memory.peakBandwidthBytesPerSecond: expected a positive number", error(f));
    }

    @Test
    void everyMissingFieldIsNamed() throws IOException {
        ObjectNode t = packaged("zcu104", "bad");
        ((ObjectNode) t.get("memory")).remove("kind");
        t.remove("uramBits");
        t.putNull("luts");
        Path f = write(t);
        assertEquals(f + ": $.luts: required; $.uramBits: required; $.memory.kind: required", error(f));
    }

    @Test
    void referenceEntriesAreCheckedByIndex() throws IOException {
        ObjectNode t = packaged("pynq-z2", "bad");
        ((ObjectNode) t.get("references").get(1)).remove("source");
        Path f = write(t);
        assertEquals(f + ": $.references[1].source: required", error(f));

        ((ObjectNode) t.get("references").get(1)).put("source", " ");
        f = write(t);
        assertEquals(f + ": $.references[1].source: expected a non-empty string", error(f));
    }

    @Test
    void unknownPropertiesAreRejected() throws IOException {
        ObjectNode t = packaged("zcu104", "bad");
        ((ObjectNode) t.get("memory")).put("colour", "green");
        Path f = write(t);
        assertEquals(f + ": $.memory.colour: unknown property; expected one of kind, peakBandwidthBytesPerSecond, sizeBytes",
                error(f));
    }

    @Test
    void wrongTypesNameTheExpectedType() throws IOException {
        ObjectNode t = packaged("zcu104", "bad");
        t.put("luts", "many");
        Path f = write(t);
        assertEquals(f + ": $.luts: expected an integer", error(f));

        t = packaged("zcu104", "bad");
        ((ObjectNode) t.get("dsp")).put("count", 1.5);
        f = write(t);
        assertEquals(f + ": $.dsp.count: expected an integer", error(f));

        t = packaged("zcu104", "bad");
        t.put("kernelClockMHz", "300");
        f = write(t);
        assertEquals(f + ": $.kernelClockMHz: expected a number", error(f));

        t = packaged("zcu104", "bad");
        t.put("busWidthBits", 99_999_999_999L);
        f = write(t);
        String message = error(f);
        assertTrue(message.startsWith(f + ": $.busWidthBits: "), message);
    }

    @Test
    void enumsListTheirValidSpellings() throws IOException {
        ObjectNode t = packaged("zcu104", "bad");
        t.put("hostInterface", "pcie");
        Path f = write(t);
        assertEquals(f + ": $.hostInterface: expected one of xrt, zynq-uio, none", error(f));

        t = packaged("zcu104", "bad");
        t.put("family", "xcvu");
        f = write(t);
        assertEquals(f + ": $.family: expected one of xcup, xc7, ice40", error(f));
    }

    @Test
    void crossFieldRules() throws IOException {
        ObjectNode t = packaged("alveo-u280", "bad");
        t.remove("platform");
        Path f = write(t);
        assertEquals(f + ": $.platform: required", error(f));

        t = packaged("pynq-z2", "bad");
        ((ObjectNode) t.get("dsp")).put("type", "DSP48E2");
        t.put("busWidthBits", 96);
        f = write(t);
        assertEquals(f + ": $.dsp.type: xc7 devices have DSP48E1, not DSP48E2; "
                + "$.busWidthBits: expected a power of two, at least 8", error(f));
    }

    @Test
    void nameMustMatchTheFileName() throws IOException {
        ObjectNode t = packaged("zcu104", "zcu104");
        Path f = write("mine.json", JSON.writeValueAsString(t));
        assertEquals(f + ": $.name: 'zcu104' must equal the file name without .json, 'mine'", error(f));
    }

    @Test
    void syntaxErrorsNameFileAndLine() throws IOException {
        Path f = write("broken.json", "{\n  \"name\": \"broken\",\n  \"luts\": ,\n}");
        String message = error(f);
        assertTrue(message.startsWith(f + ": line 3, column "), message);

        f = write("dup.json", "{\"name\": \"dup\", \"name\": \"dup\"}");
        message = error(f);
        assertTrue(message.startsWith(f + ": line 1, column ") && message.contains("Duplicate field 'name'"), message);

        f = write("array.json", "[]");
        assertEquals(f + ": $: expected a JSON object", error(f));

        f = write("empty.json", "");
        assertEquals(f + ": $: expected a JSON object", error(f));
    }
}
