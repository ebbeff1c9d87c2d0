package dev.bitweave.runtime.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a finished build into the cache: atomic, and the first of concurrent builds wins. */
class PublishTest {
    private static Path finishedBuild(Path sim, String content) throws Exception {
        Path work = Files.createTempDirectory(sim, ".build-");
        Files.writeString(work.resolve(SimLibrary.LIBRARY), content);
        return work;
    }

    @Test
    void concurrentBuildsLeaveOneCompleteEntry(@TempDir Path sim) throws Exception {
        Path entry = sim.resolve("key");
        int builds = 8;
        List<Path> works = new ArrayList<>();
        for (int i = 0; i < builds; i++) {
            works.add(finishedBuild(sim, "build " + i));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(builds);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path work : works) {
                done.add(pool.submit(() -> {
                    go.await();
                    SimBoardBuilder.publish(work, entry);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(Files.readString(entry.resolve(SimLibrary.LIBRARY)).startsWith("build "));
        try (Stream<Path> left = Files.list(sim)) {
            assertEquals(List.of(entry), left.toList(), "losers cleaned up their work directories");
        }
    }

    @Test
    void damagedEntryIsReplaced(@TempDir Path sim) throws Exception {
        Path entry = Files.createDirectories(sim.resolve("key"));
        Files.writeString(entry.resolve("build.log"), "an entry whose library was deleted");
        SimBoardBuilder.publish(finishedBuild(sim, "fresh"), entry);
        assertEquals("fresh", Files.readString(entry.resolve(SimLibrary.LIBRARY)));
        assertFalse(Files.exists(entry.resolve("build.log")));
        try (Stream<Path> left = Files.list(sim)) {
            assertEquals(1, left.count());
        }
    }

    @Test
    void configStringRoundsNothing() {
        SimConfig c = SimConfig.DEFAULT.withMemBytes(1 << 20).withLatency(7).withBytesPerCycle(21.5).withMaxOutstanding(3);
        assertEquals("mem_size=1048576;latency=7;max_outstanding=3;bytes_per_cycle=21.5", c.toString());
        assertEquals("mem_size=268435456;latency=32;max_outstanding=8", SimConfig.DEFAULT.toString());
    }
}
