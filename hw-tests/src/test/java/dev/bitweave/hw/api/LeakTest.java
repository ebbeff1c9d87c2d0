package dev.bitweave.hw.api;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 open / load / generate (1 token, 2 every tenth cycle) / close cycles on the simulated board (a real stories260K build)
 * leave file descriptors and native memory where they were after a warm-up: a leak of one
 * descriptor per 300 cycles, of 17 KiB of malloc'd memory per cycle, or of 140 KiB of resident memory
 * per cycle fails. A simulated board that is not freed leaks far more: its Verilator model and the
 * touched pages of its memory array (the images alone are 366 KB).
 *
 * <p>Native memory is glibc's own count of bytes in use (mallinfo2: uordblks + hblkhd), which the
 * simulated board's Verilator model, its memory array and JNA's buffers all come from, and which
 * the Java heap does not touch; the JVM's own compiler threads move it by ~10 MiB, so each sample is
 * the least of five readings 100 ms apart. VmRSS after a GC, which includes the Java heap, is
 * bounded loosely.
 */
class LeakTest {
    private static final int CYCLES = Integer.getInteger("bitweave.leak.cycles", 1000);
    private static final int WARMUP = 50;
    /** 950 cycles after the warm-up leaking 17 KiB each would add 16 MiB. */
    private static final long MALLOC_TOLERANCE = 16L << 20;
    private static final long RSS_TOLERANCE = 128L << 20;
    private static final int FD_TOLERANCE = 3;

    public interface LibC extends Library {
        LibC C = Native.load("c", LibC.class);

        MallInfo2.ByValue mallinfo2();

        int malloc_trim(long pad);
    }

    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure {
        public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;

        public static class ByValue extends MallInfo2 implements Structure.ByValue {
        }
    }

    record Sample(int cycle, long fds, long mallocBytes, long rssBytes) {
        @Override
        public String toString() {
            return String.format("after %d cycles: %d fds, malloc in use %.1f MiB, VmRSS %.1f MiB", cycle, fds, mallocBytes / 1048576.0,
                    rssBytes / 1048576.0);
        }
    }

    static Sample sample(int cycle) throws IOException {
        long fds = Long.MAX_VALUE;
        long malloc = Long.MAX_VALUE;
        long rss = Long.MAX_VALUE;
        for (int k = 0; k < 5; k++) {
            System.gc();
            LibC.C.malloc_trim(0);
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = Math.min(fds, s.count());
            }
            MallInfo2 m = LibC.C.mallinfo2();
            malloc = Math.min(malloc, m.uordblks + m.hblkhd);
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = Math.min(rss, Long.parseLong(line.replaceAll("\\D", "")) * 1024);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Sample(cycle, fds, malloc, rss);
    }

    @Test
    void openLoadGenerateCloseThousandTimesStaysFlat() throws IOException {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        BoardOptions options = BoardOptions.sim().withTokenizer(SharedModels.tok512())
                .withLog(new PrintStream(PrintStream.nullOutputStream()));
        List<Sample> samples = new ArrayList<>();
        samples.add(sample(0));
        Sample warm = null;
        long t0 = System.nanoTime();
        int firstToken = -1;
        for (int i = 1; i <= CYCLES; i++) {
            int steps = i % 10 == 0 ? 2 : 1;
            try (Accelerator acc = Accelerator.open(build, options);
                 Session s = acc.session(Prompt.ids(1), SessionOptions.greedy(steps).withStopAtEos(false))) {
                int n = 0;
                while (s.hasNext()) {
                    GeneratedToken t = s.next();
                    if (n == 0) {
                        if (firstToken < 0) firstToken = t.id();
                        assertEquals(firstToken, t.id(), "cycle " + i + ": the board gives the same first token");
                    }
                    n++;
                }
                assertEquals(steps, n, "cycle " + i);
            }
            if (i == WARMUP || i % 250 == 0 || i == CYCLES) {
                Sample x = sample(i);
                samples.add(x);
                if (i == WARMUP) warm = x;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Sample end = samples.get(samples.size() - 1);
        StringBuilder report = new StringBuilder(String.format("%d cycles in %.1f s (%.1f ms each)%n", CYCLES, secs, secs * 1000 / CYCLES));
        for (Sample x : samples) report.append(x).append('\n');
        System.out.print(report);
        assertTrue(warm != null && end.cycle() == CYCLES, report.toString());
        assertTrue(end.fds() - warm.fds() <= FD_TOLERANCE, "file descriptors grew\n" + report);
        assertTrue(end.mallocBytes() - warm.mallocBytes() <= MALLOC_TOLERANCE, "native (malloc) memory grew\n" + report);
        assertTrue(end.rssBytes() - warm.rssBytes() <= RSS_TOLERANCE, "VmRSS grew\n" + report);
    }
}
