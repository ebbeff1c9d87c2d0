package dev.bitweave.hw.api;

import dev.bitweave.cli.Cli;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardBusyException;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.CompiledBuild;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import dev.bitweave.runtime.api.StopReason;
import dev.bitweave.runtime.generate.Generator;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host API (dev.bitweave.runtime.api) on the simulated board with a real stories260K build:
 * its tokens equal the integer reference's and `run --backend sim`'s; a corrupted image, a hang,
 * a second session, a long prompt and a missing file each end in a clear error.
 */
class HostApiTest {
    private static final String PROMPT = "Once upon a time";
    private static final int STEPS = 24;
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static Path build;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void compile() {
        build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        tokenizer = new Tokenizer(TokenizerFile.read(SharedModels.tok512(), 512));
    }

    private static BoardOptions options() {
        return BoardOptions.sim().withTokenizer(SharedModels.tok512()).withLog(QUIET);
    }

    /** The integer reference's "POS NEXT" lines for the same prompt and sampling. */
    private static List<String> reference(float temperature, float topp, long seed) throws IOException {
        IntegerTransformer ref = new IntegerTransformer(BuildDirectory.open(build).plan());
        List<String> lines = new ArrayList<>();
        new Generator(ref, tokenizer, new Sampler(512, temperature, topp, seed)).generate(PROMPT, STEPS, s -> lines.add(s.idsLine()));
        return lines;
    }

    private static List<GeneratedToken> drain(Session s) {
        List<GeneratedToken> out = new ArrayList<>();
        while (s.hasNext()) out.add(s.next());
        return out;
    }

    private static List<String> idsLines(List<GeneratedToken> tokens) {
        return tokens.stream().map(t -> t.pos() + " " + t.id()).collect(Collectors.toList());
    }

    @Test
    void tokensEqualTheReferenceAndTheCli() throws IOException {
        AtomicLong last = new AtomicLong(-1);
        AtomicLong total = new AtomicLong(-1);
        List<Long> seen = new ArrayList<>();
        try (Accelerator acc = Accelerator.open(build, options().withChunkBytes(4096).withProgress((img, done, all) -> {
            seen.add(done);
            last.set(done);
            total.set(all);
        }))) {
            long imageBytes = acc.build().manifest().images().stream().mapToLong(i -> i.size()).sum();
            assertEquals(imageBytes, total.get());
            assertEquals(imageBytes, last.get(), "progress reaches the total");
            assertTrue(seen.size() > 10, "chunked: " + seen.size() + " progress calls");

            List<GeneratedToken> greedy;
            try (Session s = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(STEPS).withStopAtEos(false))) {
                greedy = drain(s);
                assertEquals(StopReason.STEPS, s.stopReason());
            }
            assertEquals(reference(0f, 0.9f, 1), idsLines(greedy), "greedy ids");
            assertTrue(greedy.get(0).fromPrompt() && !greedy.get(greedy.size() - 1).fromPrompt());
            for (GeneratedToken t : greedy) {
                assertTrue(t.stats().cycles() > 1000 && t.stats().rooflineCycles() > 0 && t.stats().boardNanos() > 0, t.toString());
            }
            List<String> cli = Cli.ok("run", build, "--backend", "sim", "--tokenizer", SharedModels.tok512(), "-n", STEPS,
                    "-i", PROMPT, "-t", "0", "--ids").out().lines().collect(Collectors.toList());
            assertEquals(cli, idsLines(greedy), "run --backend sim");

            try (Session s = acc.session(Prompt.text(PROMPT), new SessionOptions(1.0f, 0.9f, 42, STEPS, false,
                    java.util.Optional.empty()))) {
                assertEquals(reference(1.0f, 0.9f, 42), idsLines(drain(s)), "sampled ids, seed 42");
            }
            // ids in, the same tokens out; a stop string ends the session at the token that completes it
            int[] ids = tokenizer.encode(PROMPT, true, false);
            String text = greedy.stream().filter(t -> !t.fromPrompt()).map(GeneratedToken::text).collect(Collectors.joining());
            String stop = text.substring(3, 6);
            try (Session s = acc.session(Prompt.ids(ids), SessionOptions.greedy(STEPS).withStop(stop))) {
                List<GeneratedToken> got = drain(s);
                assertEquals(StopReason.STOP_STRING, s.stopReason());
                assertEquals(idsLines(greedy.subList(0, got.size())), idsLines(got));
                String gen = got.stream().filter(t -> !t.fromPrompt()).map(GeneratedToken::text).collect(Collectors.joining());
                assertTrue(gen.contains(stop) && !gen.substring(0, gen.length() - got.get(got.size() - 1).text().length())
                        .contains(stop), gen);
            }
        }
    }

    @Test
    void aFlippedByteInWeightsImgIsRefusedBeforeAnyToken(@TempDir Path tmp) throws IOException {
        Path copy = copyBuild(tmp);
        Path weights = copy.resolve("weights.img");
        byte[] w = Files.readAllBytes(weights);
        CRC32 good = new CRC32();
        good.update(w);
        w[w.length / 2] ^= 0x10;
        Files.write(weights, w);
        CRC32 bad = new CRC32();
        bad.update(w);
        BadInputException e = assertThrows(BadInputException.class, () -> Accelerator.open(copy, options()));
        Cli.assertMentions(e.getMessage(), "weights.img", String.format("%08x", bad.getValue()),
                String.format("%08x", good.getValue()), "nothing was loaded");
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aHungStepTimesOutAndTheBoardWorksAfterReset() throws IOException {
        try (Accelerator acc = Accelerator.open(build, options().withMaxCycles(3000))) {
            try (Session s = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(4))) {
                BoardTimeoutException e = assertThrows(BoardTimeoutException.class, s::hasNext);
                Cli.assertMentions(e.getMessage(), "did not finish within 3000 cycles", "program entry", "soft-reset");
                assertEquals(StopReason.ERROR, s.stopReason());
                assertFalse(s.hasNext());
            }
            acc.stepLimits(BoardOptions.DEFAULT_MAX_CYCLES, BoardOptions.DEFAULT_TIMEOUT_MS);
            acc.softReset();
            try (Session s = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(8).withStopAtEos(false))) {
                List<String> want = reference(0f, 0.9f, 1).subList(0, 8);
                assertEquals(want, idsLines(drain(s)), "after the reset");
            }
        }
    }

    /**
     * Fault injection in the simulated board (config key stall_reads): after 20,000 read beats its
     * memory never answers again, so the kernel never raises done. The wall-clock limit ends the
     * step with a timeout error; the soft reset heals the memory and the board runs normally.
     */
    @Test
    void aBoardThatNeverRaisesDoneTimesOutAndWorksAfterReset() throws IOException {
        String config = Accelerator.simConfig(CompiledBuild.open(build).manifest()) + ";stall_reads=20000";
        BoardOptions stalling = BoardOptions.of(Drivers.Kind.SIM, config).withTokenizer(SharedModels.tok512()).withLog(QUIET)
                .withMaxCycles(0).withTimeoutMs(3000);
        try (Accelerator acc = Accelerator.open(build, stalling)) {
            try (Session s = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(16).withStopAtEos(false))) {
                BoardTimeoutException e = assertThrows(BoardTimeoutException.class, () -> drain(s));
                Cli.assertMentions(e.getMessage(), "did not finish within 3000 ms", "program entry", "kernel not done after 3000 ms");
                assertEquals(StopReason.ERROR, s.stopReason());
            }
            acc.stepLimits(BoardOptions.DEFAULT_MAX_CYCLES, BoardOptions.DEFAULT_TIMEOUT_MS);
            acc.softReset();
            try (Session s = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(8).withStopAtEos(false))) {
                assertEquals(reference(0f, 0.9f, 1).subList(0, 8), idsLines(drain(s)), "after the reset");
            }
        }
    }

    @Test
    void secondSessionLongPromptAndMissingFilesAreClearErrors(@TempDir Path tmp) throws Exception {
        try (Accelerator acc = Accelerator.open(build, options())) {
            Session first = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(3));
            BoardBusyException busy = java.util.concurrent.CompletableFuture.supplyAsync(() -> assertThrows(
                    BoardBusyException.class, () -> acc.session(Prompt.text("x"), SessionOptions.greedy(3)))).get();
            Cli.assertMentions(busy.getMessage(), "already runs a session", "close it first");
            assertTrue(first.hasNext());
            first.next();
            first.close();
            assertFalse(first.hasNext());
            assertNull(assertThrows(java.util.NoSuchElementException.class, first::next).getCause());

            int seqLen = acc.build().model().seqLen();
            int[] longPrompt = new int[seqLen + 1];
            java.util.Arrays.fill(longPrompt, 65);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> acc.session(Prompt.ids(longPrompt), SessionOptions.greedy(0)));
            Cli.assertMentions(e.getMessage(), (seqLen + 2) + " tokens", "seq_len is " + seqLen);
            // the refused session did not take the board
            try (Session s = acc.session(Prompt.text(PROMPT), SessionOptions.greedy(2))) {
                assertEquals(2, drain(s).size());
            }
        }
        Path copy = copyBuild(tmp);
        Files.delete(copy.resolve("program.img"));
        Cli.assertMentions(assertThrows(BadInputException.class, () -> Accelerator.open(copy, options())).getMessage(),
                "program.img", "missing");
        Cli.assertMentions(assertThrows(BadInputException.class, () -> Accelerator.open(tmp.resolve("nope"), options()))
                .getMessage(), "nope", "build directory not found");
    }

    /** host-runtime/examples/Generate.java, compiled here and run on the build: its text is the greedy reference's. */
    @Test
    void theExampleRunsOnTheBuild(@TempDir Path tmp) throws Exception {
        Path example = Path.of("..", "host-runtime", "examples", "Generate.java");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, err, err, "-d", tmp.toString(),
                "-cp", System.getProperty("java.class.path"), example.toString());
        assertEquals(0, rc, err.toString());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        String savedTok = System.getProperty("tokenizer");
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {tmp.toUri().toURL()},
                getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, "UTF-8"));
            System.setErr(QUIET);
            System.setProperty("tokenizer", SharedModels.tok512().toString());
            loader.loadClass("Generate").getMethod("main", String[].class).invoke(null, (Object) new String[] {build.toString(), PROMPT});
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
            if (savedTok == null) System.clearProperty("tokenizer"); else System.setProperty("tokenizer", savedTok);
        }
        StringBuilder want = new StringBuilder();
        IntegerTransformer ref = new IntegerTransformer(BuildDirectory.open(build).plan());
        new Generator(ref, tokenizer, new Sampler(512, 0f, 0.9f, 1)).generate(PROMPT, 64,
                s -> want.append(new String(Tokenizer.printable(s.piece()), java.nio.charset.StandardCharsets.UTF_8)));
        String got = out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(got.length() > PROMPT.length(), got);
        assertTrue(want.toString().startsWith(got), "example: " + got + "\nreference: " + want);
    }

    private static Path copyBuild(Path tmp) throws IOException {
        Path copy = tmp.resolve("build");
        try (Stream<Path> files = Files.walk(build)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(build.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        return copy;
    }
}
