package dev.bitweave.importer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real trained models in the shared directory (see ../shared/models/README.md) and run.c's
 * outputs on them (../shared/reference/README.md). Public so that the CLI suites use the same
 * lookup; a missing file is an error, never a skipped test.
 */
public final class SharedModels {
    private SharedModels() {
    }

    public static Path file(String name) {
        return existing(Path.of(root(), "models", name), "shared model");
    }

    /** A file of ../shared/reference, e.g. "stories260K.bos.greedy.ids". */
    public static Path reference(String name) {
        return existing(Path.of(root(), "reference", name), "shared reference output");
    }

    public static Path stories260kBin() {
        return file("stories260K.bin");
    }

    public static Path stories260kGguf() {
        return file("stories260K.gguf");
    }

    public static Path tok512() {
        return file("tok512.bin");
    }

    private static String root() {
        String shared = System.getProperty("bitweave.shared");
        if (shared == null) {
            throw new IllegalStateException("system property bitweave.shared is not set (surefire sets it from the parent pom)");
        }
        return shared;
    }

    private static Path existing(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing " + what + " " + p);
        }
        return p;
    }
}
