package dev.bitweave.cosim;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.ManifestJson;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** A build directory written by `compile`: its manifest, board, plan copy and verified images. */
public record BuildDirectory(Path dir, Manifest manifest, Board board) {

    /** @throws BadInputException when dir is not a build directory or its manifest is invalid */
    public static BuildDirectory open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw BadInputException.inFile(dir, "build directory not found");
        Path manifestFile = dir.resolve(Manifest.FILE);
        if (!Files.exists(manifestFile)) throw BadInputException.inFile(dir, "not a build directory (no manifest.json; run ./bitweave compile)");
        Manifest manifest = ManifestJson.read(manifestFile);
        return new BuildDirectory(dir, manifest, BoardCatalog.byName(manifest.board().name()));
    }

    public static boolean looksLikeBuild(Path dir) {
        return dir != null && Files.isDirectory(dir) && Files.exists(dir.resolve(Manifest.FILE));
    }

    public QuantizedModel plan() throws IOException {
        return PlanReader.load(dir.resolve(BuildCompiler.PLAN_DIR));
    }

    public Path rtl() {
        return dir.resolve(BuildCompiler.RTL_DIR);
    }

    /** The image, refused unless its size and CRC-32 are the ones the manifest recorded. */
    public byte[] image(String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.exists(f)) throw BadInputException.inFile(dir, name + " missing");
        byte[] data = Files.readAllBytes(f);
        Manifest.Image img = manifest.images().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> BadInputException.inFile(dir.resolve(Manifest.FILE), "$.images: no entry for " + name));
        CRC32 crc = new CRC32();
        crc.update(data);
        if (crc.getValue() != img.crc32() || data.length != img.size()) {
            throw BadInputException.inFile(f, String.format("CRC-32 %08x over %d bytes, but manifest.json records %08x over %d bytes: "
                    + "the image is corrupt or from another build", crc.getValue(), data.length, img.crc32(), img.size()));
        }
        return data;
    }
}
