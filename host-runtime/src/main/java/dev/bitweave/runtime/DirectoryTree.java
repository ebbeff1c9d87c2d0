package dev.bitweave.runtime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing a directory and everything under it: temp dirs, half-built caches, replaced outputs. */
public final class DirectoryTree {
    private DirectoryTree() {
    }

    /** Deletes root and its contents; a missing root is fine. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** As {@link #delete}, for scratch directories whose leftovers are harmless. */
    public static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException e) {
            // a scratch directory left behind costs disk space, nothing else
        }
    }
}
