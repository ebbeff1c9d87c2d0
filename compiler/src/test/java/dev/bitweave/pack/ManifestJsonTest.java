package dev.bitweave.pack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** manifest.json problems are reported with the file and the JSON path of the first one. */
class ManifestJsonTest {
    @TempDir
    static Path tmp;
    private static byte[] good;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void build() throws Exception {
        good = ManifestJson.write(BuildImages.create(PackFixtures.stories260k(tmp, "w4a8-g32"), PackFixtures.boardWithBus(64)).manifest());
    }

    private static String problem(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(good);
        edit.accept(root);
        Path f = tmp.resolve("m.json");
        Files.write(f, MAPPER.writeValueAsBytes(root));
        String msg = assertThrows(BadInputException.class, () -> ManifestJson.read(f)).getMessage();
        assertTrue(msg.startsWith(f + ": "), msg);
        return msg.substring(f.toString().length() + 2);
    }

    private static ObjectNode layer(ObjectNode root, int i) {
        return (ObjectNode) root.get("layers").get(i);
    }

    @Test
    void theWrittenManifestReadsBack() throws Exception {
        Path f = tmp.resolve("good.json");
        Files.write(f, good);
        assertEquals(new String(good), new String(ManifestJson.write(ManifestJson.read(f))));
    }

    @Test
    void problemsNameTheirJsonPath() throws Exception {
        assertEquals("$.schema: expected \"bitweave.manifest\", got \"bitweave.plan\"", problem(r -> r.put("schema", "bitweave.plan")));
        assertEquals("$.version: this bitweave reads manifest version 2, not 1", problem(r -> r.put("version", 1)));
        assertTrue(problem(r -> r.put("extra", 1)).startsWith("$.extra: unknown field"));
        assertEquals("$.hardware.bus: 128 differs from $.board.busWidthBits 64",
                problem(r -> ((ObjectNode) r.get("hardware")).put("bus", 128)));
        assertEquals("$.hardware.modes[0]: 5 is not a mode of this hardware (2, 3, 4, 8)",
                problem(r -> ((ObjectNode) r.get("hardware")).putArray("modes").add(5)));
        assertEquals("$.hardware.maxCols: 180 is not a multiple of the widest code beat (16 codes)",
                problem(r -> ((ObjectNode) r.get("hardware")).put("maxCols", 180)));
        // 3-bit lo beats hold BUS / 2 codes
        assertEquals("$.hardware.maxCols: 176 is not a multiple of the widest code beat (32 codes)",
                problem(r -> ((ObjectNode) r.get("hardware")).putArray("modes").add(3)));
        assertEquals("$.layers[0].bits: stored width 4 is not in $.hardware.modes [3]",
                problem(r -> ((ObjectNode) r.get("hardware")).put("maxCols", 192).putArray("modes").add(3)));
        assertEquals("$.images[0].crc32: 4294967296 is out of range [0, 4294967295]",
                problem(r -> ((ObjectNode) r.get("images").get(0)).put("crc32", 1L << 32)));
        assertEquals("$.memory.program.base: 4097 is not on a 4096-byte page",
                problem(r -> ((ObjectNode) r.get("memory").get("program")).put("base", 4097)));
        assertTrue(problem(r -> layer(r, 3).put("foo", 1)).startsWith("$.layers[3].foo: unknown field"));
        assertTrue(problem(r -> layer(r, 3).put("n", layer(r, 3).get("n").asInt() + 1))
                .startsWith("$.layers[3].n: "));
        assertTrue(problem(r -> layer(r, 1).put("address", layer(r, 1).get("address").asLong() + 16))
                .startsWith("$.layers[1].address: "));
        assertTrue(problem(r -> layer(r, 0).put("bits", 6)).startsWith("$.layers[0]: tensor token_embd: has 6-bit int weights"));
        assertTrue(problem(r -> layer(r, 2).put("expectedCycles", 1)).startsWith("$.layers[2].expectedCycles: 1, but"));
    }

    @Test
    void notJsonAndMissingFiles() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"schema\": ");
        assertTrue(assertThrows(BadInputException.class, () -> ManifestJson.read(f)).getMessage()
                .startsWith(f + ": not valid JSON at line 1"));
        Path missing = tmp.resolve("none.json");
        assertEquals(missing + ": file not found", assertThrows(BadInputException.class, () -> ManifestJson.read(missing)).getMessage());
    }
}
