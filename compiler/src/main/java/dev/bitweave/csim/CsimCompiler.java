package dev.bitweave.csim;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.DirectoryTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles a build's hls/ (kernel + test bench, with the csim ap_int.h) into the C-simulation
 * executable with g++. The executable is cached under {@code $BITWEAVE_CACHE/csim/<key>/} (the
 * sim board's cache root), key = SHA-256 of the sources, the compiler's version and the command,
 * so the same build compiles once; it is built in a temporary directory and then renamed, so a
 * concurrent or interrupted build never leaves a half-written executable behind.
 */
public final class CsimCompiler {
    /** The flags the generated C++ must pass: warnings are errors. */
    public static final List<String> FLAGS = List.of("-std=c++14", "-Wall", "-Wextra", "-Werror", "-O2");
    static final String EXECUTABLE = "bitweave_tb";

    /** The compiled test bench; seconds is the g++ time (0 on a cache hit). */
    public record Executable(Path path, boolean cacheHit, double seconds, String compiler) {
    }

    private final Path cacheRoot;
    private final String gxx;

    public CsimCompiler(Path cacheRoot, String gxx) {
        this.cacheRoot = cacheRoot;
        this.gxx = gxx;
    }

    public static CsimCompiler standard() {
        return new CsimCompiler(dev.bitweave.runtime.board.SimBoardBuilder.defaultCacheRoot(), "g++");
    }

    /** The hls/ sources g++ compiles, and the headers they include, in a stable order. */
    static List<Path> sources(Path hls) throws IOException {
        try (Stream<Path> s = Files.walk(hls)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".cpp") || p.toString().endsWith(".h"))
                    .sorted(Comparator.comparing(p -> hls.relativize(p).toString())).toList();
        }
    }

    /** @throws BadInputException when hls/ is missing or incomplete */
    public Executable build(Path hls) throws IOException, InterruptedException {
        if (!Files.isDirectory(hls) || !Files.exists(hls.resolve("bitweave_tb.cpp")) || !Files.exists(hls.resolve("csim/ap_int.h"))) {
            throw BadInputException.inFile(hls, "no HLS sources (hls/bitweave_tb.cpp, hls/csim/ap_int.h): recompile the build with ./bitweave compile");
        }
        String version = compilerVersion();
        List<Path> sources = sources(hls);
        List<String> command = new ArrayList<>(List.of(gxx));
        command.addAll(FLAGS);
        command.addAll(List.of("-I", "csim", "-I", ".", "bitweave_kernel.cpp", "bitweave_tb.cpp", "-o"));
        String key = key(hls, sources, version, command);
        Path dir = cacheRoot.resolve("csim").resolve(key);
        Path exe = dir.resolve(EXECUTABLE);
        if (Files.isExecutable(exe)) return new Executable(exe, true, 0, version);

        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "tmp-");
        long t0 = System.nanoTime();
        try {
            for (Path s : sources) {
                Path to = tmp.resolve(hls.relativize(s).toString());
                Files.createDirectories(to.getParent());
                Files.copy(s, to);
            }
            command.add(EXECUTABLE);
            ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("g++ did not finish within 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("g++ " + String.join(" ", FLAGS) + " rejected " + hls + ":\n" + log.strip());
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another process built the same key first: theirs is identical
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cache " + dir + ": rename not atomic on this file system", e);
            }
        } finally {
            DirectoryTree.delete(tmp);
        }
        return new Executable(exe, false, (System.nanoTime() - t0) / 1e9, version);
    }

    private String compilerVersion() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(gxx, "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(gxx + " not found: C simulation needs a C++ compiler (apt-get install g++)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(gxx + " --version failed: " + out.strip());
        return out.lines().findFirst().orElse("").strip();
    }

    private static String key(Path hls, List<Path> sources, String version, List<String> command) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Path s : sources) {
                d.update(hls.relativize(s).toString().getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                byte[] text = Files.readAllBytes(s);
                d.update(Long.toString(text.length).getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(text);
            }
            d.update(version.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(String.join("\u0000", command).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
