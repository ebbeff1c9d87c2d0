package dev.bitweave.pack;

import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.plan.TensorEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API the compile command calls: images, regions, memory map and manifest of one build. */
class BuildImagesTest {
    @TempDir
    Path tmp;

    @Test
    void samePlanGivesIdenticalBytes() throws Exception {
        QuantizedModel a = PackFixtures.stories260k(tmp.resolve("a"), PackFixtures.MIXED);
        QuantizedModel b = PackFixtures.stories260k(tmp.resolve("b"), PackFixtures.MIXED);
        for (int bus : PackFixtures.BUSES) {
            BuildImages x = BuildImages.create(a, PackFixtures.boardWithBus(bus));
            BuildImages y = BuildImages.create(b, PackFixtures.boardWithBus(bus));
            BuildImages again = BuildImages.create(a, PackFixtures.boardWithBus(bus));
            assertArrayEquals(x.weights(), y.weights());
            assertArrayEquals(x.program(), y.program());
            assertArrayEquals(ManifestJson.write(x.manifest()), ManifestJson.write(y.manifest()));
            assertArrayEquals(x.weights(), again.weights());
            assertEquals(x.manifest(), again.manifest());
        }
    }

    @Test
    void regionsTileWeightsInPlanOrderAndTheProgramRunsThem() throws Exception {
        QuantizedModel m = PackFixtures.stories260k(tmp, "w4a8-g32");
        BuildImages build = BuildImages.create(m, PackFixtures.boardWithBus(128));
        List<String> linear = new ArrayList<>();
        for (TensorEntry e : m.plan().tensors()) if (!e.isVector()) linear.add(e.name());
        assertEquals(linear, new ArrayList<>(build.regions().keySet()));
        assertFalse(build.regions().containsKey("output"), "the tied classifier is token_embd's region");
        long next = 0;
        for (LayerRegion r : build.regions().values()) {
            assertEquals(next, r.address(), r.name());
            assertEquals(0, r.address() % 16, r.name());
            assertEquals(r.layout().regionBytes(), r.size());
            next += r.size();
        }
        assertEquals(next, build.weights().length);

        var linears = PackFixtures.linearsByName(build);
        for (LayerRegion r : build.regions().values()) assertEquals(ProgramImage.Linear.of(r), linears.get(r.name()));
        List<ProgramImage.Entry> program = ProgramImage.decode(build.program(), "program.img");
        assertEquals(new ProgramImage.End(), program.get(program.size() - 1));
        assertEquals(List.of(4), build.hardware().modes());
        assertEquals(1 << 4, build.hardware().modesMask());
        assertEquals(192, build.hardware().maxCols()); // 172 rounded up to whole 4-bit beats of 32 codes at 128 bits
    }

    @Test
    void threeBitPlansGetAThreeBitModeOfBitPlanes() throws Exception {
        QuantizedModel m = PackFixtures.stories260k(tmp, "w3a8-g32");
        BuildImages build = BuildImages.create(m, PackFixtures.boardWithBus(128));
        assertEquals(List.of(3), build.hardware().modes());
        assertEquals(1 << 3, build.hardware().modesMask()); // PARAMS bit 16 + 3
        assertEquals(192, build.hardware().maxCols()); // 172 rounded up to whole lo beats of C_3 = 64 codes
        // ffn_down: 64 rows of 172 columns: R = 3 lo beats and 2 hi beats per row
        LinearLayout down = build.regions().get("blk.0.ffn_down").layout();
        assertEquals(List.of(3, 3, 64, 3, 5), List.of(down.bits(), down.b(), down.cb(), down.r(), down.rowBeats()));
        assertEquals(down.blocks() * down.s() + 64L * 5, down.imageBeats());
        var linears = PackFixtures.linearsByName(build);
        for (LayerRegion r : build.regions().values()) {
            ProgramImage.Linear op = linears.get(r.name());
            assertEquals(3, op.b(), r.name());
            assertEquals(r.layout().r(), op.r(), r.name());
            assertEquals(r.layout().imageBeats() * 16, op.size(), r.name());
        }
        Path file = tmp.resolve(Manifest.FILE);
        Files.write(file, ManifestJson.write(build.manifest()));
        assertEquals(build.manifest(), ManifestJson.read(file));
    }

    @Test
    void memoryMapAndManifest() throws Exception {
        QuantizedModel m = PackFixtures.stories260k(tmp, PackFixtures.MIXED);
        BuildImages build = BuildImages.create(m, PackFixtures.boardWithBus(512));
        Manifest man = build.manifest();
        MemoryMap mem = man.memory();
        assertEquals(new MemoryMap.Area(0, build.weights().length), mem.weights());
        assertEquals((build.weights().length + 4095) / 4096 * 4096, mem.tables().base());
        assertEquals(new MemoryMap.Area(mem.tables().base(), build.tables().length), mem.tables());
        assertEquals((mem.tables().end() + 4095) / 4096 * 4096, mem.program().base());
        assertEquals(build.program().length, mem.program().size());
        assertEquals((mem.program().end() + 4095) / 4096 * 4096, mem.scratch().base());
        assertEquals(mem.scratch().base(), mem.activation().base());
        assertEquals(64 + build.hardware().maxCols(), mem.activation().size());
        assertEquals(512 * 4, mem.output().size()); // the classifier's 512 rows
        assertEquals(build.program().length, mem.stats().size()); // one 64-byte slot per entry at BUS 512
        assertEquals(512 * 4, mem.logits().size());
        assertTrue(mem.kv().end() <= mem.scratch().end());
        assertTrue(mem.stats().end() <= mem.scratch().end());
        for (MemoryMap.Area a : List.of(mem.tables(), mem.program(), mem.scratch(), mem.activation(), mem.output(), mem.stats(),
                mem.logits(), mem.kv())) {
            assertEquals(0, a.base() % 4096);
        }

        // the mixed recipe reaches every kind of scale entry
        assertEquals(32, build.regions().get("blk.0.attn_v").layout().entryBits());   // M, E, Z
        assertEquals(16, build.regions().get("blk.0.attn_q").layout().entryBits());   // M
        assertTrue(build.regions().get("blk.0.attn_q").layout().perChannel());
        assertEquals(16, build.regions().get("blk.0.ffn_down").layout().entryBits()); // E, Z
        assertEquals(2, build.regions().get("token_embd").layout().b());
        assertEquals(24, build.regions().get("token_embd").layout().entryBits());     // M, Z
        assertEquals("alveo-u280", man.board().name());
        assertEquals(List.of(2, 4, 8), man.hardware().modes());
        assertEquals(crc(build.weights()), man.images().get(0).crc32());
        assertEquals(crc(build.tables()), man.images().get(1).crc32());
        assertEquals(crc(build.program()), man.images().get(2).crc32());
        assertEquals(build.regions().size(), man.layers().size());
        for (Manifest.Layer l : man.layers()) {
            LayerRegion r = build.regions().get(l.name());
            assertEquals(r.address(), l.address());
            assertEquals(r.layout(), l.layout());
            assertTrue(l.expectedCycles() > l.layout().imageBeats());
        }

        Path file = tmp.resolve(Manifest.FILE);
        Files.write(file, ManifestJson.write(man));
        assertEquals(man, ManifestJson.read(file));
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
