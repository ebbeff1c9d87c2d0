package dev.bitweave.runtime.board;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a simulated board build depends on: the Verilog files, the harness sources, the
 * tool versions and the exact commands. Built in a fresh directory from these bytes only, so
 * its SHA-256 is a sound cache key.
 *
 * @param rtl       Verilog file name to contents, sorted by name
 * @param harness   harness file name to contents, in {@link #HARNESS} order
 * @param tools     "verilator --version" and "g++ --version" first lines
 * @param verilator the verilator command, run in the build directory
 * @param make      the make command
 */
record SimSources(Map<String, byte[]> rtl, Map<String, byte[]> harness, List<String> tools, List<String> verilator,
        List<String> make) {
    /** Harness resources under /bitweave/sim/ on the class path. */
    static final List<String> HARNESS = List.of("bitweave_board.h", "sim_config.h", "axi_memory.h", "sim_board.cpp");
    static final String RTL_DIR = "rtl";
    private static final String FORMAT = "bitweave simulated board build v1";

    /** Reads the .v/.sv sources and .vh/.svh headers directly inside dir. */
    static Map<String, byte[]> readRtl(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new SimBuildException("RTL directory " + dir + " does not exist");
        }
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && isVerilog(name)) {
                    files.put(name, Files.readAllBytes(p));
                }
            }
        }
        if (files.keySet().stream().noneMatch(SimSources::isSource)) {
            throw new SimBuildException("no Verilog sources (.v, .sv) in " + dir);
        }
        return files;
    }

    static Map<String, byte[]> readHarness() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : HARNESS) {
            try (InputStream in = SimSources.class.getResourceAsStream("/bitweave/sim/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("harness resource /bitweave/sim/" + name + " missing from the class path");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    static boolean isSource(String name) {
        return name.endsWith(".v") || name.endsWith(".sv");
    }

    private static boolean isVerilog(String name) {
        return isSource(name) || name.endsWith(".vh") || name.endsWith(".svh");
    }

    /** Relative paths of the Verilog sources as the verilator command names them. */
    static List<String> sourcePaths(Map<String, byte[]> rtl) {
        List<String> paths = new ArrayList<>();
        for (String name : rtl.keySet()) {
            if (isSource(name)) {
                paths.add(RTL_DIR + "/" + name);
            }
        }
        return paths;
    }

    /** SHA-256 over every input, each length-prefixed so that no two input sets hash the same text. */
    String key() {
        MessageDigest sha = sha256();
        field(sha, "format", FORMAT.getBytes(StandardCharsets.UTF_8));
        for (String t : tools) {
            field(sha, "tool", t.getBytes(StandardCharsets.UTF_8));
        }
        field(sha, "verilator", String.join("\0", verilator).getBytes(StandardCharsets.UTF_8));
        field(sha, "make", String.join("\0", make).getBytes(StandardCharsets.UTF_8));
        harness.forEach((name, bytes) -> field(sha, "harness/" + name, bytes));
        rtl.forEach((name, bytes) -> field(sha, "rtl/" + name, bytes));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Writes the harness into dir and the Verilog into dir/rtl. */
    void writeTo(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : harness.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        Path rtlDir = Files.createDirectories(dir.resolve(RTL_DIR));
        for (Map.Entry<String, byte[]> e : rtl.entrySet()) {
            Files.write(rtlDir.resolve(e.getKey()), e.getValue());
        }
    }

    static String sha256(String text) {
        MessageDigest sha = sha256();
        return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(MessageDigest sha, String name, byte[] value) {
        sha.update((name + "\n" + value.length + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(value);
    }
}
