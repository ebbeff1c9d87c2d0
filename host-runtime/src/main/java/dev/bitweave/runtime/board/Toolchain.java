package dev.bitweave.runtime.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the external build tools (verilator, make, g++) and turns their absence into advice. */
final class Toolchain {
    /** Variables that make or the compiler would pick up from the environment and so make builds differ from their key. */
    private static final List<String> LEAKY_ENV = List.of("MAKEFLAGS", "MFLAGS", "CXXFLAGS", "CPPFLAGS", "CFLAGS",
            "LDFLAGS", "LDLIBS", "OBJCACHE", "CXX", "CC", "LINK");

    /**
     * Versions already asked, keyed by the executable's path, size and modification time: opening
     * a cached simulated board again (a server, a test opening it a thousand times) need not start
     * three processes, and an upgraded tool is a new key.
     */
    private static final Map<String, String> VERSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    private Toolchain() {
    }

    /** The first line of "tool --version"; the tool missing is a SimBuildException saying what to install. */
    static String version(String tool, String debianPackage) throws SimBuildException {
        String key = executableKey(tool);
        if (key == null) return askVersion(tool, debianPackage);
        String v = VERSIONS.get(key);
        if (v == null) {
            v = askVersion(tool, debianPackage);
            VERSIONS.put(key, v);
        }
        return v;
    }

    /** "path|size|mtime" of the executable tool resolves to on PATH, or null when it is not found. */
    private static String executableKey(String tool) {
        List<Path> candidates = new java.util.ArrayList<>();
        if (tool.contains("/")) {
            candidates.add(Path.of(tool));
        } else {
            String path = System.getenv("PATH");
            if (path == null) return null;
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) candidates.add(Path.of(dir, tool));
            }
        }
        for (Path c : candidates) {
            try {
                Path real = c.toRealPath();
                if (Files.isRegularFile(real) && Files.isExecutable(real)) {
                    return real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis();
                }
            } catch (IOException e) {
                // not this one
            }
        }
        return null;
    }

    private static String askVersion(String tool, String debianPackage) throws SimBuildException {
        ProcessBuilder pb = new ProcessBuilder(tool, "--version").redirectErrorStream(true);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (rc != 0 || text.isEmpty()) {
                throw new SimBuildException(tool + " --version failed (exit " + rc + "): " + text);
            }
            return text.lines().findFirst().orElse(text);
        } catch (IOException e) {
            throw missing(tool, debianPackage, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimBuildException("interrupted while running " + tool, e);
        }
    }

    /** Runs command in dir, appending its output to log; a non-zero exit is a SimBuildException. */
    static void run(List<String> command, Path dir, Path log, String debianPackage) throws IOException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        LEAKY_ENV.forEach(env::remove);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw missing(command.get(0), debianPackage, e);
        }
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new SimBuildException(command.get(0) + " failed (exit " + rc + ")");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SimBuildException("interrupted while running " + command.get(0), e);
        }
    }

    private static SimBuildException missing(String tool, String debianPackage, IOException cause) {
        return new SimBuildException(tool + " not found: the simulated board needs it; install it with "
                + "'apt-get install " + debianPackage + "' (./test.sh installs it when missing)", cause);
    }
}
