package dev.bitweave.runtime.board;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.DirectoryTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Driver selection: turns a driver name ({@code sim}, {@code xrt}, {@code zynq}) into an open
 * {@link Board}. The real-board drivers are C++ sources shipped in this jar under
 * {@code bitweave/drivers/}; they are compiled with g++ on the machine that runs them and cached
 * like the simulated board, under {@code <cache>/drivers/<name>-<key>/}, key = SHA-256 of the
 * sources, the compiler version and the command.
 *
 * <p>Everything a user can fix (no g++, no XRT, a device node that is not there, a bad config
 * key) is a {@link BadInputException} whose one-line message says what to install or which
 * device node was not found. docs/board-abi.md, "Real boards", describes the drivers and their
 * config keys.
 *
 * <p>Instances are immutable after configuration and may be shared; building is safe across
 * threads and processes (a build publishes its cache entry with one rename).
 */
public final class Drivers {
    /** The drivers there are. */
    public enum Kind {
        SIM, XRT, ZYNQ,
        /** The build's HLS kernel in C simulation (hls/csim_board.cpp): the same host path, no cycles. */
        CSIM;

        /** "sim", "xrt", "zynq" or "csim" (any case); anything else is a BadInputException listing them. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                    return k;
                }
            }
            throw new BadInputException("unknown board driver '" + name + "': expected sim, xrt or zynq (or csim: the HLS kernel in C simulation)");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String RESOURCES = "/bitweave/drivers/";
    /** Compiler flags of every driver library; hidden visibility leaves only the bw_* functions exported. */
    static final List<String> CXXFLAGS = List.of("-std=c++17", "-O2", "-fPIC", "-shared", "-fvisibility=hidden",
            "-fvisibility-inlines-hidden", "-Wall", "-Wextra", "-Werror", "-Wl,--no-undefined");
    private static final String FORMAT = "bitweave driver build v1";
    private static final String MARKER = "complete";

    private Path cacheRoot = SimBoardBuilder.defaultCacheRoot();
    private Path xrtRoot = defaultXrtRoot();
    private String compiler = "g++";
    private PrintStream progress = System.err;

    private Drivers() {
    }

    public static Drivers create() {
        return new Drivers();
    }

    /** $XILINX_XRT (set by XRT's setup.sh), or /opt/xilinx/xrt. */
    public static Path defaultXrtRoot() {
        String env = System.getenv("XILINX_XRT");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("/opt/xilinx/xrt");
    }

    public Drivers cacheRoot(Path root) {
        this.cacheRoot = root;
        return this;
    }

    /** The XRT installation the xrt driver compiles against: include/ and lib/ with libxrt_coreutil. */
    public Drivers xrtRoot(Path root) {
        this.xrtRoot = root;
        return this;
    }

    /** The C++ compiler; "g++" on the PATH by default. */
    public Drivers compiler(String command) {
        this.compiler = command;
        return this;
    }

    /** Where the one line "building ... driver (g++)..." goes when a build really runs. */
    public Drivers progress(PrintStream out) {
        this.progress = out;
        return this;
    }

    /**
     * Opens a board. For {@code sim}, rtlDir is the build's rtl/ (built and cached by
     * {@link SimBoardBuilder}); the real-board drivers ignore it. config is the driver's
     * "key=value;..." string (docs/board-abi.md). A driver that cannot be built, or a board
     * that cannot be opened because of the machine (missing device node, permissions, a bad
     * config key), is a BadInputException with the driver's message.
     */
    public Board open(Kind kind, Path rtlDir, String config) throws IOException {
        Path library = switch (kind) {
            case SIM -> {
                if (rtlDir == null) {
                    throw new BadInputException("the sim driver needs the build's rtl/ directory");
                }
                yield SimBoardBuilder.forRtl(rtlDir).progress(progress).build().library();
            }
            case ZYNQ -> zynqLibrary();
            case CSIM -> {
                if (rtlDir == null) throw new BadInputException("the csim driver needs the build's directory");
                yield csimLibrary(rtlDir.toAbsolutePath().getParent().resolve("hls"));
            }
            case XRT -> xrtLibrary();
        };
        try {
            return Board.open(library, config == null ? "" : config);
        } catch (BoardException e) {
            if (e.error() == BoardError.IO || e.error() == BoardError.CONFIG || e.error() == BoardError.DEVICE) {
                throw new BadInputException(kind.id() + " driver: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The zynq driver library (Linux UIO + u-dma-buf or /dev/mem), compiled now or found in the cache. */
    public Path zynqLibrary() throws IOException {
        return build("zynq", List.of("zynq/zynq_board.cpp"), List.of(), List.of());
    }

    /**
     * The csim driver library: the build's HLS kernel (hls/) and its board-ABI wrapper
     * (hls/csim_board.cpp), compiled now or found in the cache (keyed by the sources, as every driver).
     */
    public Path csimLibrary(Path hls) throws IOException {
        List<String> names = List.of("bitweave_kernel.h", "bitweave_kernel.cpp", "bitweave_build.h", "csim_board.cpp", "csim/ap_int.h");
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String n : names) {
            Path f = hls.resolve(n);
            if (!Files.isRegularFile(f)) {
                throw BadInputException.inFile(hls, "no " + n + ": the csim driver runs a build's HLS kernel; recompile the build with ./bitweave compile");
            }
            files.put(n, Files.readAllBytes(f));
        }
        files.put("bitweave_board.h", resource("/bitweave/sim/bitweave_board.h"));
        // the real drivers' register protocol, so csim runs the host path of an HLS bitstream
        files.put("bw_driver_common.h", resource(RESOURCES + "common/bw_driver_common.h"));
        files.put("bw_driver_abi.h", resource(RESOURCES + "common/bw_driver_abi.h"));
        return build("csim", files, List.of("bitweave_kernel.cpp", "csim_board.cpp"), List.of(), List.of());
    }

    /**
     * The xrt driver library, compiled against the XRT installation at {@link #xrtRoot} and
     * linked with its libxrt_coreutil. A missing XRT is a BadInputException saying what to install.
     */
    public Path xrtLibrary() throws IOException {
        Path include = xrtRoot.resolve("include");
        Path lib = xrtRoot.resolve("lib");
        if (!Files.isRegularFile(include.resolve("xrt/xrt_kernel.h"))
                || !(Files.exists(lib.resolve("libxrt_coreutil.so")))) {
            throw new BadInputException("XRT not found at " + xrtRoot + " (no include/xrt/xrt_kernel.h or "
                    + "lib/libxrt_coreutil.so): the xrt driver compiles against it; install XRT for your Alveo "
                    + "card (https://www.amd.com/en/products/adaptive-socs-and-fpgas/alveo.html, Xilinx Runtime) "
                    + "and run 'source /opt/xilinx/xrt/setup.sh', or set XILINX_XRT");
        }
        return build("xrt", List.of("xrt/xrt_board.cpp"),
                List.of("-DBW_XRT_REAL_HEADERS", "-I" + include),
                List.of("-L" + lib, "-Wl,-rpath," + lib, "-lxrt_coreutil", "-pthread"));
    }

    /**
     * Writes the xrt driver's sources and its build script into dir (created if needed):
     * {@code xrt_board.cpp}, {@code bw_driver_common.h}, {@code bw_driver_abi.h}, {@code bitweave_board.h},
     * {@code xrt_stand_in.h} and {@code build_xrt_driver.sh}, which compiles
     * {@code libbwxrt.so} against the real XRT headers and libxrt_coreutil on a machine with XRT.
     * Returns the script.
     */
    public static Path exportXrtSources(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : sources(List.of("xrt/xrt_board.cpp", "xrt/xrt_stand_in.h",
                "xrt/build_xrt_driver.sh")).entrySet()) {
            Files.write(dir.resolve(Path.of(e.getKey()).getFileName().toString()), e.getValue());
        }
        Path script = dir.resolve("build_xrt_driver.sh");
        try {
            Files.setPosixFilePermissions(script, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_EXECUTE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the user runs it with sh
        }
        return script;
    }

    /** The library name a driver builds to: libbw&lt;name&gt;.so. */
    static String libraryName(String name) {
        return "libbw" + name + ".so";
    }

    /**
     * Compiles the driver's main sources (under bitweave/drivers/) with the common header and
     * the ABI header next to them, or returns the cached library. extraFlags go before the
     * sources, libs after them.
     */
    Path build(String name, List<String> mainSources, List<String> extraFlags, List<String> libs) throws IOException {
        List<String> cpp = mainSources.stream().filter(s -> s.endsWith(".cpp")).map(s -> Path.of(s).getFileName().toString()).toList();
        return build(name, sources(mainSources), cpp, extraFlags, libs);
    }

    /** Compiles files (written flat into the build directory) with the .cpp files named in cpp. */
    Path build(String name, Map<String, byte[]> files, List<String> cpp, List<String> extraFlags, List<String> libs) throws IOException {
        String lib = libraryName(name);
        List<String> args = new ArrayList<>(CXXFLAGS);
        args.add("-I.");
        args.addAll(extraFlags);
        args.addAll(cpp);
        args.addAll(List.of("-o", lib));
        args.addAll(libs);
        return compile(name + " driver", name, files, args, lib).output();
    }

    /** A C++ product and where it came from. */
    public record Compiled(Path output, boolean cacheHit, double seconds, String compiler) {
    }

    /**
     * Runs the compiler with args in a fresh directory holding files (written flat, by file name)
     * and returns output from there, or the cached product of the same files, compiler version and
     * command: entry {@code <cache>/drivers/<name>-<key>}, published with one rename, so concurrent
     * builds and readers never see half an entry. Drivers and the C simulation's test bench
     * (compiler module, csim) are built this way.
     *
     * @param what the product in messages ("zynq driver")
     */
    public Compiled compile(String what, String name, Map<String, byte[]> files, List<String> args, String output) throws IOException {
        String version = compilerVersion();
        List<String> command = new ArrayList<>();
        command.add(compiler);
        command.addAll(args);
        String key = key(files, version, command);
        Path driversDir = cacheRoot.resolve("drivers");
        Path entry = driversDir.resolve(name + "-" + key);
        if (Files.isRegularFile(entry.resolve(MARKER))) {
            return new Compiled(entry.resolve(output), true, 0, version);
        }
        Files.createDirectories(driversDir);
        progress.println("building " + what + " (" + compiler + ")...");
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory(driversDir, ".build-" + name + "-");
        try {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Files.write(work.resolve(Path.of(e.getKey()).getFileName().toString()), e.getValue());
            }
            String log = run(command, work);
            if (!Files.isRegularFile(work.resolve(output))) {
                throw new IOException("building the " + what + " failed:\n$ " + String.join(" ", command) + "\n" + log.strip());
            }
            Files.writeString(work.resolve("build.log"), "$ " + String.join(" ", command) + "\n" + log);
            Files.writeString(work.resolve(MARKER), "");
        } catch (IOException | RuntimeException e) {
            DirectoryTree.delete(work);
            throw e;
        }
        SimBoardBuilder.publish(work, entry, MARKER);
        return new Compiled(entry.resolve(output), false, (System.nanoTime() - t0) / 1e9, version);
    }

    /** The driver sources: the given files under bitweave/drivers/, the common header, the ABI header. */
    static Map<String, byte[]> sources(List<String> mainSources) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String s : mainSources) {
            files.put(s, resource(RESOURCES + s));
        }
        files.put("common/bw_driver_common.h", resource(RESOURCES + "common/bw_driver_common.h"));
        files.put("common/bw_driver_abi.h", resource(RESOURCES + "common/bw_driver_abi.h"));
        files.put("bitweave_board.h", resource("/bitweave/sim/bitweave_board.h"));
        return files;
    }

    private static byte[] resource(String path) {
        try (InputStream in = Drivers.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("driver resource " + path + " missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String compilerVersion() throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(compiler, "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BadInputException(compiler + " not found: the board drivers are compiled on this machine; "
                    + "install it with 'apt-get install g++' (Kria Ubuntu, PYNQ: 'apt-get install build-essential')",
                    e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || out.isEmpty()) {
                throw new IOException(compiler + " --version failed: " + out);
            }
            return out.lines().findFirst().orElse(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + compiler, e);
        }
    }

    private static String run(List<String> command, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        for (String v : List.of("CXXFLAGS", "CPPFLAGS", "LDFLAGS", "CPATH", "CPLUS_INCLUDE_PATH")) {
            pb.environment().remove(v);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed (exit " + p.exitValue() + "):\n$ "
                        + String.join(" ", command) + "\n" + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        return out;
    }

    private static String key(Map<String, byte[]> files, String version, List<String> command) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        field(sha, "format", FORMAT.getBytes(StandardCharsets.UTF_8));
        field(sha, "compiler", version.getBytes(StandardCharsets.UTF_8));
        field(sha, "command", String.join("\0", command).getBytes(StandardCharsets.UTF_8));
        files.forEach((n, b) -> field(sha, "file/" + n, b));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void field(MessageDigest sha, String name, byte[] value) {
        sha.update((name + "\n" + value.length + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(value);
    }
}
