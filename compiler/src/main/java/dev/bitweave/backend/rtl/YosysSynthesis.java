package dev.bitweave.backend.rtl;

import dev.bitweave.runtime.DirectoryTree;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bitweave.board.Board;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Synthesizes Verilog with Yosys for a board's device family and counts the cells it maps to,
 * so resource figures come from synthesis rather than from guesses (ARCHITECTURE.md).
 *
 * <pre>{@code
 * SynthesisResult r = YosysSynthesis.forBoard(board, "bitweave_top", sources)
 *         .withParameter("BUS", board.busWidthBits())
 *         .run();
 * FitCheck.of(r.usage(), board).requireFits();
 * }</pre>
 *
 * <p>Results are cached under {@link #defaultCacheDir()} by the SHA-256 of the sources (and the
 * files they {@code `include}), the script and {@code yosys -V}; a design synthesized once is not
 * synthesized again. Yosys' log streams to a file; a run longer than the progress interval
 * prints a line to stderr every interval with the elapsed time and the pass Yosys is in.
 *
 * <p>Instances are immutable; the {@code with} methods return changed copies.
 */
public final class YosysSynthesis {

    static final String INSTALL_HINT = "install it with: apt-get install yosys (./test.sh does this)";
    /** Changes when the cache entry's meaning changes, so old entries stop matching. */
    private static final String CACHE_FORMAT = "bitweave-synth-1";
    private static final Pattern INCLUDE = Pattern.compile("`include\\s+\"([^\"]+)\"");
    private static final Pattern PASS = Pattern.compile("^\\d+(\\.\\d+)*\\. Executing .*");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** {@code yosys -V} per executable, asked once per JVM. */
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private final Board.Family family;
    private final String top;
    private final List<Path> sources;
    private final SortedMap<String, Long> parameters;
    private final String executable;
    private final Path cacheDir;
    private final Duration timeout;
    private final PrintStream progress;
    private final Duration progressEvery;

    private YosysSynthesis(Board.Family family, String top, List<Path> sources, SortedMap<String, Long> parameters,
                           String executable, Path cacheDir, Duration timeout, PrintStream progress,
                           Duration progressEvery) {
        this.family = family;
        this.top = VerilogIdentifier.require("top module", top);
        this.sources = List.copyOf(sources);
        this.parameters = parameters;
        this.executable = executable;
        this.cacheDir = cacheDir;
        this.timeout = timeout;
        this.progress = progress;
        this.progressEvery = progressEvery;
        if (this.sources.isEmpty()) throw new IllegalArgumentException("no Verilog sources to synthesize");
        for (Path s : this.sources) {
            String p = s.toAbsolutePath().toString();
            // The path goes into a Yosys script between double quotes.
            if (p.contains("\"") || p.contains("\n")) throw new IllegalArgumentException("unusable source path: " + p);
        }
    }

    /** Defaults: cache in {@link #defaultCacheDir()}, 60 min timeout, progress on stderr every 15 s. */
    public static YosysSynthesis of(Board.Family family, String top, List<Path> sources) {
        return new YosysSynthesis(family, top, sources, new TreeMap<>(), "yosys", defaultCacheDir(),
                Duration.ofMinutes(60), System.err, Duration.ofSeconds(15));
    }

    public static YosysSynthesis forBoard(Board board, String top, List<Path> sources) {
        return of(board.family(), top, sources);
    }

    /** {@code $BITWEAVE_CACHE/synth}, or {@code ~/.cache/bitweave/synth}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("BITWEAVE_CACHE");
        Path root = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "bitweave");
        return root.resolve("synth");
    }

    /** Overrides a parameter of the top module ({@code chparam}), e.g. BUS for the board's bus width. */
    public YosysSynthesis withParameter(String name, long value) {
        SortedMap<String, Long> p = new TreeMap<>(parameters);
        p.put(VerilogIdentifier.require("parameter", name), value);
        return new YosysSynthesis(family, top, sources, p, executable, cacheDir, timeout, progress, progressEvery);
    }

    public YosysSynthesis withParameters(Map<String, Long> values) {
        YosysSynthesis s = this;
        for (Map.Entry<String, Long> e : new TreeMap<>(values).entrySet()) s = s.withParameter(e.getKey(), e.getValue());
        return s;
    }

    /** The yosys to run: a name looked up on PATH, or a path. */
    public YosysSynthesis withExecutable(String path) {
        return new YosysSynthesis(family, top, sources, parameters, path, cacheDir, timeout, progress, progressEvery);
    }

    public YosysSynthesis withCacheDir(Path dir) {
        return new YosysSynthesis(family, top, sources, parameters, executable, dir, timeout, progress, progressEvery);
    }

    public YosysSynthesis withTimeout(Duration t) {
        return new YosysSynthesis(family, top, sources, parameters, executable, cacheDir, t, progress, progressEvery);
    }

    /** Where and how often to print progress while Yosys runs. */
    public YosysSynthesis withProgress(PrintStream out, Duration every) {
        return new YosysSynthesis(family, top, sources, parameters, executable, cacheDir, timeout, out, every);
    }

    /**
     * The family's synthesis command.
     *
     * <p>Xilinx: {@code -flatten} so that {@code stat} counts the whole design as one netlist and
     * optimizes across module boundaries, as Vivado does by default. {@code -noiopad -noclkbuf}
     * because the design is an IP core inside a shell (XRT platform, Zynq PL wrapper): its ports
     * are on-chip nets, not pins, so IBUF/OBUF/BUFG cells would count resources the design never
     * uses (over a thousand IOBs for a 512-bit bus).
     *
     * <p>iCE40: {@code synth_ice40} flattens by default and inserts no I/O cells. {@code -dsp}
     * because every iCE40 board in the catalog is an UltraPlus with SB_MAC16 blocks (without it
     * every multiply becomes LUTs). No {@code -spram}: the boards use the SPRAM as weight memory
     * (boards/README.md), so on-chip buffers must fit in EBR; a design that instantiates
     * SB_SPRAM256KA anyway is still counted.
     */
    public String synthCommand() {
        return switch (family) {
            case XCUP, XC7 -> "synth_xilinx -family " + family.yosysName() + " -top " + top
                    + " -flatten -noiopad -noclkbuf";
            case ICE40 -> "synth_ice40 -dsp -top " + top;
        };
    }

    /** The Yosys script this synthesis runs. */
    public String script() {
        return script(p -> p.toAbsolutePath().toString());
    }

    private String script(Function<Path, String> pathName) {
        StringBuilder s = new StringBuilder();
        s.append("# bitweave: ").append(top).append(" for ").append(family.yosysName()).append('\n');
        for (Path src : sources) s.append("read_verilog -sv \"").append(pathName.apply(src)).append("\"\n");
        parameters.forEach((k, v) -> s.append("chparam -set ").append(k).append(' ').append(v).append(' ').append(top).append('\n'));
        s.append(synthCommand()).append('\n');
        // stat -json (Yosys >= 0.10) written through tee: exact cell counts without parsing the text table.
        s.append("tee -q -o stat.json stat -json\n");
        return s.toString();
    }

    /**
     * Synthesizes, or returns the cached result of an identical earlier synthesis.
     *
     * @throws RtlToolException when yosys is missing, fails (the message quotes its first ERROR
     *                          line and names the log), times out, or leaves unmapped cells
     */
    public SynthesisResult run() {
        String version = yosysVersion(executable);
        String key = cacheKey(version);
        Path entry = cacheDir.resolve(key + ".json");
        Path log = cacheDir.resolve(key + ".log");
        SynthesisResult cached = readCache(entry, key, log);
        if (cached != null) return cached;

        Path work = null;
        try {
            Files.createDirectories(cacheDir);
            work = Files.createTempDirectory(cacheDir, key.substring(0, 16) + ".run-");
            Path script = work.resolve("synth.ys");
            Files.writeString(script, script());
            Path runLog = work.resolve("yosys.log");
            long start = System.nanoTime();
            OptionalInt status = ToolProcess.run(List.of(executable, "-s", script.toString()), work, runLog, timeout,
                    progressEvery, elapsed -> progress.printf("yosys: %s for %s: %s, %s (log: %s)%n",
                            top, family.yosysName(), ToolProcess.human(elapsed), lastPass(runLog), runLog),
                    INSTALL_HINT);
            double seconds = (System.nanoTime() - start) / 1e9;
            // The log outlives the scratch directory: it is what a failure message points to.
            Files.move(runLog, log, StandardCopyOption.REPLACE_EXISTING);
            if (status.isEmpty()) {
                throw new RtlToolException("yosys did not finish synthesizing " + top + " for " + family.yosysName()
                        + " within " + ToolProcess.human(timeout) + "; stopped it at " + lastPass(log)
                        + " (log: " + log + "); raise the timeout for large designs");
            }
            int exit = status.getAsInt();
            if (exit != 0) {
                throw new RtlToolException("yosys failed (exit " + exit + ") synthesizing " + top + " for "
                        + family.yosysName() + ": " + firstError(log) + " (log: " + log + ")");
            }
            SortedMap<String, Long> cells = readStat(work.resolve("stat.json"));
            ResourceUsage usage = ResourceUsage.fromCells(cells);
            if (!usage.unmappedCells().isEmpty()) {
                throw new RtlToolException("yosys left cells unmapped for " + family.yosysName() + " in " + top
                        + ": " + usage.unmappedCells() + "; their resources would be missing (log: " + log + ")");
            }
            writeCache(entry, new CacheEntry(CACHE_FORMAT, top, family.yosysName(), parameters, version, seconds, cells));
            return new SynthesisResult(top, family, parameters, usage, version, seconds, key, false, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (work != null) DirectoryTree.deleteQuietly(work);
        }
    }

    /** What is stored per synthesis: the raw histogram, so counting rules can change without re-running. */
    record CacheEntry(String format, String top, String family, SortedMap<String, Long> parameters,
                      String yosysVersion, double seconds, SortedMap<String, Long> cells) {
    }

    private SynthesisResult readCache(Path entry, String key, Path log) {
        if (!Files.isRegularFile(entry)) return null;
        try {
            CacheEntry e = JSON.readValue(entry.toFile(), CacheEntry.class);
            if (!CACHE_FORMAT.equals(e.format()) || e.cells() == null) return null;
            return new SynthesisResult(top, family, parameters, ResourceUsage.fromCells(e.cells()),
                    e.yosysVersion(), e.seconds(), key, true, log);
        } catch (IOException e) {
            // A truncated or foreign file: synthesize again and overwrite it.
            return null;
        }
    }

    private static void writeCache(Path entry, CacheEntry e) throws IOException {
        Path tmp = Files.createTempFile(entry.getParent(), entry.getFileName().toString(), ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), e);
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** SHA-256 over the Yosys version, the script (with file names, not paths) and every source's bytes. */
    String cacheKey(String yosysVersion) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            field(sha, CACHE_FORMAT.getBytes(StandardCharsets.UTF_8));
            field(sha, yosysVersion.getBytes(StandardCharsets.UTF_8));
            // Paths are left out so the same sources hit the cache from any checkout or temp dir.
            field(sha, script(p -> String.valueOf(p.getFileName())).getBytes(StandardCharsets.UTF_8));
            for (Path src : sources) {
                byte[] text = Files.readAllBytes(src);
                field(sha, text);
                // One level of `include, resolved as Yosys does first: next to the including file.
                Matcher m = INCLUDE.matcher(new String(text, StandardCharsets.UTF_8));
                while (m.find()) {
                    Path inc = src.toAbsolutePath().getParent().resolve(m.group(1));
                    field(sha, m.group(1).getBytes(StandardCharsets.UTF_8));
                    field(sha, Files.isRegularFile(inc) ? Files.readAllBytes(inc) : new byte[0]);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so field boundaries cannot shift between inputs. */
    private static void field(MessageDigest sha, byte[] bytes) {
        sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    /** The cell histogram of the whole design from {@code stat -json}. */
    private SortedMap<String, Long> readStat(Path statJson) throws IOException {
        if (!Files.isRegularFile(statJson)) {
            throw new RtlToolException("yosys wrote no statistics for " + top + " (" + statJson + ")");
        }
        JsonNode root = JSON.readTree(statJson.toFile());
        // "design" sums the hierarchy under the top; a flattened design also has just one module.
        JsonNode design = root.has("design") ? root.get("design") : root.path("modules").path("\\" + top);
        JsonNode byType = design.path("num_cells_by_type");
        if (!byType.isObject()) {
            throw new RtlToolException("yosys statistics for " + top + " have no cell counts (" + statJson + ")");
        }
        SortedMap<String, Long> cells = new TreeMap<>();
        byType.fields().forEachRemaining(f -> cells.put(f.getKey(), f.getValue().asLong()));
        return cells;
    }

    /** {@code yosys -V}, e.g. "Yosys 0.23 (git sha1 7ce5011c24b)"; also how a missing yosys is found. */
    static String yosysVersion(String executable) {
        return VERSIONS.computeIfAbsent(executable, exe -> {
            Path out = null;
            try {
                out = Files.createTempFile("bitweave-yosys-version-", ".txt");
                OptionalInt exit = ToolProcess.run(List.of(exe, "-V"), Path.of("").toAbsolutePath(), out,
                        Duration.ofMinutes(1), Duration.ofMinutes(1), elapsed -> { }, INSTALL_HINT);
                String text = Files.readString(out).strip();
                if (exit.orElse(-1) != 0 || !text.startsWith("Yosys")) {
                    throw new RtlToolException(exe + " -V did not report a Yosys version (exit "
                            + (exit.isPresent() ? exit.getAsInt() : "none, timed out") + "): " + text);
                }
                return text.lines().findFirst().orElseThrow();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (out != null) DirectoryTree.deleteQuietly(out);
            }
        });
    }

    /** The pass Yosys last started, for the progress line. */
    private static String lastPass(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 16384);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            List<String> passes = new String(tail, StandardCharsets.UTF_8).lines()
                    .filter(l -> PASS.matcher(l).matches()).toList();
            return passes.isEmpty() ? "starting" : passes.get(passes.size() - 1);
        } catch (IOException e) {
            return "starting";
        }
    }

    private static String firstError(Path log) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("ERROR:")).map(String::strip).findFirst()
                    .orElse("no ERROR line in the log");
        } catch (IOException | UncheckedIOException e) {
            return "log unreadable: " + e.getMessage();
        }
    }


    @Override
    public String toString() {
        return "YosysSynthesis[" + top + " for " + family.yosysName() + ", parameters " + parameters + "]";
    }

}
