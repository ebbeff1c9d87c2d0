package dev.bitweave.importer;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real trained models in the shared directory (see ../shared/models/README.md). */
public final class SharedModels {
    private SharedModels() {
    }

    public static Path file(String name) {
        String shared = System.getProperty("bitweave.shared");
        if (shared == null) {
            throw new IllegalStateException("system property bitweave.shared is not set (surefire sets it from the parent pom)");
        }
        Path p = Path.of(shared, "models", name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing shared model " + p);
        }
        return p;
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
}
