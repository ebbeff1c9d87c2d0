package dev.bitweave.runtime.api;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A build directory written by {@code ./bitweave compile}, as the runtime sees it: manifest.json,
 * the plan copy's model shape (plan/plan.json), the Verilog (rtl/, for the simulated board), the
 * three images and, when the plan carried one, its vocabulary (plan/tokenizer.bin).
 * Immutable; safe to share between threads.
 */
public record CompiledBuild(Path dir, BuildManifest manifest, ModelShape model) {
    public static final String RTL_DIR = "rtl";
    public static final String PLAN_DIR = "plan";
    public static final String TOKENIZER = "tokenizer.bin";

    /** Opens and checks dir; a missing directory or file or an invalid manifest is a BadInputException naming it. */
    public static CompiledBuild open(Path dir) {
        if (!Files.isDirectory(dir)) throw BadInputException.inFile(dir, "build directory not found");
        Path manifestFile = dir.resolve(BuildManifest.FILE);
        if (!Files.exists(manifestFile)) {
            throw BadInputException.inFile(dir, "not a build directory (no manifest.json; run ./bitweave compile)");
        }
        BuildManifest manifest = BuildManifest.read(manifestFile);
        ModelShape model = ModelShape.read(dir.resolve(PLAN_DIR).resolve(ModelShape.FILE));
        manifest.checkAgainst(model, manifestFile);
        for (BuildManifest.Image i : manifest.images()) {
            if (!Files.isRegularFile(dir.resolve(i.name()))) {
                throw BadInputException.inFile(dir.resolve(i.name()), "missing (manifest.json lists it; recompile the build)");
            }
        }
        return new CompiledBuild(dir, manifest, model);
    }

    public Path rtl() {
        return dir.resolve(RTL_DIR);
    }

    /** plan/tokenizer.bin, when the plan was quantized with its vocabulary. */
    public Optional<Path> tokenizer() {
        Path f = dir.resolve(PLAN_DIR).resolve(TOKENIZER);
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /**
     * The image's bytes, refused unless their size and CRC-32 are the ones manifest.json records:
     * a corrupted or foreign file never reaches the board.
     */
    public byte[] verifiedImage(BuildManifest.Image image) {
        Path f = dir.resolve(image.name());
        byte[] data;
        try {
            data = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(f, "missing (manifest.json lists it; recompile the build)");
        } catch (IOException e) {
            throw BadInputException.inFile(f, "cannot read: " + e.getMessage());
        }
        long crc = crc32(data, 0, data.length);
        if (crc != image.crc32() || data.length != image.size()) {
            throw BadInputException.inFile(f, String.format("CRC-32 %08x over %d bytes, but manifest.json records %08x over %d "
                    + "bytes: the image is corrupt or from another build; nothing was loaded", crc, data.length, image.crc32(),
                    image.size()));
        }
        return data;
    }

    static long crc32(byte[] data, int off, int len) {
        CRC32 c = new CRC32();
        c.update(data, off, len);
        return c.getValue();
    }
}
