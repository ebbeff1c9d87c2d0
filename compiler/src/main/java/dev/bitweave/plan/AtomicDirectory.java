package dev.bitweave.plan;

import dev.bitweave.runtime.DirectoryTree;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output directory that appears whole or not at all: everything is written into a hidden
 * sibling temp directory, which is renamed onto the target on {@link #commit()}; closing without a
 * commit deletes it. A crash leaves at most a ".NAME.tmp-*" directory, never a half plan.
 */
public final class AtomicDirectory implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final boolean replace;
    private boolean committed;

    private AtomicDirectory(Path target, Path temp, boolean replace) {
        this.target = target;
        this.temp = temp;
        this.replace = replace;
    }

    /** @param replace allow replacing an existing directory (refused otherwise, so nothing is lost) */
    public static AtomicDirectory create(Path target, boolean replace) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) throw BadInputException.inFile(target, "exists and is not a directory");
            if (!replace) throw BadInputException.inFile(target, "already exists; pass --force to replace it");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
        return new AtomicDirectory(abs, temp, replace);
    }

    public Path dir() {
        return temp;
    }

    public Path target() {
        return target;
    }

    public void commit() throws IOException {
        Path old = null;
        if (Files.exists(target) && replace) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target);
        }
        committed = true;
        if (old != null) DirectoryTree.delete(old);
    }

    @Override
    public void close() throws IOException {
        if (!committed && Files.exists(temp)) DirectoryTree.delete(temp);
    }

}
