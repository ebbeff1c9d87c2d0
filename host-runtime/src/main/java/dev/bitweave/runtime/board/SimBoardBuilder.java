package dev.bitweave.runtime.board;

import dev.bitweave.runtime.DirectoryTree;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the simulated board, the shared library that implements the board ABI around the
 * Verilated {@code bitweave_top} of an RTL directory, or finds it in the cache.
 *
 * <p>Cache: {@code $BITWEAVE_CACHE} or {@code ~/.cache/bitweave}, entry {@code sim/<key>/},
 * key = SHA-256 of the Verilog files (names and contents), the harness sources, the tool
 * versions and the commands (see {@link SimSources}). A build runs in a fresh directory next
 * to the entry and is renamed into place in one step, so a reader never sees a half-built
 * entry; two concurrent builds of the same key both finish and the first rename wins.
 */
public final class SimBoardBuilder {
    static final String TOP = "bitweave_top";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The harness compiles against the model and hides every symbol except the ABI (see docs/board-abi.md). */
    private static final String CFLAGS = "-std=c++17 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden"
            + " -DVL_USER_FATAL -DVL_USER_FINISH -I..";
    private static final String RUNTIME_MARKER = "complete";
    private static final String LDFLAGS = "-shared -Wl,-Bsymbolic -Wl,--exclude-libs,ALL -Wl,--no-undefined";

    private final Path rtlDir;
    private final Map<String, Long> parameters = new TreeMap<>();
    private boolean tracing;
    private Path cacheRoot = defaultCacheRoot();
    private String verilator = "verilator";
    private PrintStream progress = System.err;

    private SimBoardBuilder(Path rtlDir) {
        this.rtlDir = rtlDir;
    }

    /** A builder for the Verilog files directly inside rtlDir (a build's rtl/). */
    public static SimBoardBuilder forRtl(Path rtlDir) {
        return new SimBoardBuilder(rtlDir);
    }

    /** $BITWEAVE_CACHE, or ~/.cache/bitweave. */
    public static Path defaultCacheRoot() {
        String env = System.getenv("BITWEAVE_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "bitweave");
    }

    /** Overrides a top-level Verilog parameter (verilator -G), e.g. BUS. */
    public SimBoardBuilder parameter(String name, long value) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Verilog parameter name: " + name);
        }
        parameters.put(name, value);
        return this;
    }

    /** Builds with FST tracing support (config key trace=PATH); a little slower to build and run. */
    public SimBoardBuilder tracing(boolean on) {
        this.tracing = on;
        return this;
    }

    public SimBoardBuilder cacheRoot(Path root) {
        this.cacheRoot = root;
        return this;
    }

    /** The verilator executable; "verilator" on the PATH by default. */
    public SimBoardBuilder verilator(String command) {
        this.verilator = command;
        return this;
    }

    /** Where the one progress line goes; System.err by default. */
    public SimBoardBuilder progress(PrintStream out) {
        this.progress = out;
        return this;
    }

    /** The cache key of the current inputs, without building. */
    public String key() throws IOException {
        return sources().key();
    }

    /** The library for the current inputs: from the cache, or built and cached now. */
    public SimLibrary build() throws IOException {
        SimSources sources = sources();
        String key = sources.key();
        Path simDir = cacheRoot.resolve("sim");
        Path entry = simDir.resolve(key);
        if (Files.isRegularFile(entry.resolve(SimLibrary.LIBRARY))) {
            return SimLibrary.fromEntry(entry, key, true);
        }
        Files.createDirectories(simDir);
        progress.println("building simulated board (verilator)...");
        Path work = Files.createTempDirectory(simDir, ".build-" + key.substring(0, 12) + "-");
        try {
            compile(sources, work, simDir);
        } catch (IOException | RuntimeException e) {
            throw failed(e, work, simDir.resolve(key + ".failed.log"));
        }
        publish(work, entry);
        return SimLibrary.fromEntry(entry, key, false);
    }

    private SimSources sources() throws IOException {
        List<String> tools = List.of(Toolchain.version(verilator, "verilator"), Toolchain.version("g++", "g++"));
        Toolchain.version("make", "make");
        Map<String, byte[]> rtl = SimSources.readRtl(rtlDir);
        List<String> vcmd = new ArrayList<>(List.of(verilator, "--cc", "--exe", "--top-module", TOP,
                "--prefix", "V" + TOP, "-O3", "--x-assign", "fast", "--x-initial", "fast", "-Mdir", "obj",
                "-o", SimLibrary.LIBRARY, "-CFLAGS", CFLAGS, "-LDFLAGS", LDFLAGS));
        if (tracing) {
            vcmd.add("--trace-fst");
        }
        parameters.forEach((name, value) -> vcmd.add("-G" + name + "=" + value));
        vcmd.add("+incdir+" + SimSources.RTL_DIR);
        vcmd.add("sim_board.cpp");
        vcmd.addAll(SimSources.sourcePaths(rtl));
        // -O2 for the model and the runtime: Verilator's default -Os runs slower for little
        // compile time saved. VM_PARALLEL_BUILDS lets make compile the model's files in parallel.
        List<String> make = List.of("make", "-f", "V" + TOP + ".mk", "OPT_FAST=-O2", "OPT_SLOW=-O1",
                "OPT_GLOBAL=-O2", "VM_PARALLEL_BUILDS=1", SimLibrary.LIBRARY);
        return new SimSources(rtl, SimSources.readHarness(), tools, vcmd, make);
    }

    private void compile(SimSources sources, Path work, Path simDir) throws IOException {
        sources.writeTo(work);
        Path log = work.resolve(SimLibrary.LOG);
        Path obj = work.resolve("obj");
        long t0 = System.nanoTime();
        Toolchain.run(sources.verilator(), work, log, "verilator");
        long t1 = System.nanoTime();
        Path runtime = simDir.resolve("runtime-" + runtimeKey(sources));
        boolean reuse = Files.isRegularFile(runtime.resolve(RUNTIME_MARKER));
        if (reuse) {
            // Copied after verilation, so newer than the makefile: make takes them as up to date.
            for (Path o : runtimeObjects(runtime)) {
                Files.copy(o, obj.resolve(o.getFileName()));
            }
        }
        List<String> make = new ArrayList<>(sources.make());
        // Parallelism changes nothing in the output, so it stays out of the key.
        make.add(1, "-j" + Math.min(2, Runtime.getRuntime().availableProcessors()));
        Toolchain.run(make, obj, log, "make g++");
        long t2 = System.nanoTime();
        if (!reuse) {
            try {
                saveRuntime(obj, runtime);
            } catch (IOException e) {
                // Only a lost speed-up: the next build compiles the runtime again.
                Files.writeString(log, "note: runtime objects not cached: " + e + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
        Files.move(obj.resolve(SimLibrary.LIBRARY), work.resolve(SimLibrary.LIBRARY));
        DirectoryTree.delete(obj);  // generated C++ and objects: large, and rebuilt from the kept inputs
        Properties record = new Properties();
        record.setProperty("verilate.millis", Long.toString((t1 - t0) / 1_000_000));
        record.setProperty("compile.millis", Long.toString((t2 - t1) / 1_000_000));
        record.setProperty("runtime.reused", Boolean.toString(reuse));
        record.setProperty("tools", String.join(" | ", sources.tools()));
        record.setProperty("verilator.command", String.join(" ", sources.verilator()));
        try (OutputStream out = Files.newOutputStream(work.resolve(SimLibrary.RECORD))) {
            record.store(out, "bitweave simulated board build");
        }
    }

    /**
     * The Verilator runtime (verilated.cpp, its threads and FST writer) does not depend on the
     * design, yet compiling it is most of a small design's build. Its objects are cached under
     * a key of what they do depend on: the tools, the flags and tracing.
     */
    private String runtimeKey(SimSources sources) {
        return SimSources.sha256(String.join("\n", "runtime v1", String.join("\n", sources.tools()), CFLAGS,
                String.join(" ", sources.make()), "tracing=" + tracing));
    }

    private static List<Path> runtimeObjects(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("verilated") && name.endsWith(".o");
            }).sorted().toList();
        }
    }

    private static void saveRuntime(Path obj, Path runtime) throws IOException {
        List<Path> objects = runtimeObjects(obj);
        if (objects.isEmpty()) {
            return;
        }
        Path work = Files.createTempDirectory(runtime.getParent(), ".runtime-");
        for (Path o : objects) {
            Files.copy(o, work.resolve(o.getFileName()));
        }
        Files.writeString(work.resolve(RUNTIME_MARKER), "");
        publish(work, runtime, RUNTIME_MARKER);
    }

    /** Renames work to entry in one step; if another build got there first, keeps its entry. */
    static void publish(Path work, Path entry) throws IOException {
        publish(work, entry, SimLibrary.LIBRARY);
    }

    /** marker: the file whose presence makes an entry complete. */
    static void publish(Path work, Path entry, String marker) throws IOException {
        try {
            Files.move(work, entry, StandardCopyOption.ATOMIC_MOVE);
            return;
        } catch (IOException e) {
            if (!Files.exists(entry)) {
                throw e;
            }
        }
        if (Files.isRegularFile(entry.resolve(marker))) {
            DirectoryTree.delete(work);  // a concurrent build of the same key won; same inputs, same result
            return;
        }
        // An entry without its library was damaged by hand: set it aside, then take its place.
        Path stale = Files.createTempDirectory(entry.getParent(), ".stale-");
        Files.move(entry, stale.resolve("entry"), StandardCopyOption.ATOMIC_MOVE);
        DirectoryTree.delete(stale);
        publish(work, entry, marker);
    }

    private SimBuildException failed(Exception e, Path work, Path failedLog) {
        String tail = "";
        try {
            Path log = work.resolve(SimLibrary.LOG);
            if (Files.isRegularFile(log)) {
                Files.copy(log, failedLog, StandardCopyOption.REPLACE_EXISTING);
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                tail = "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
            }
            DirectoryTree.delete(work);
        } catch (IOException cleanup) {
            e.addSuppressed(cleanup);
        }
        if (e instanceof SimBuildException sbe && tail.isEmpty()) {
            return sbe;
        }
        return new SimBuildException("building the simulated board for " + rtlDir + " failed: " + e.getMessage()
                + (tail.isEmpty() ? "" : "; log: " + failedLog + ", last lines:" + tail), e);
    }

}
