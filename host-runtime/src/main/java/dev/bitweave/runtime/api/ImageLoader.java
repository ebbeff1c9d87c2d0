package dev.bitweave.runtime.api;

import dev.bitweave.runtime.board.Board;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Loads a build's images into board memory in chunks and proves them there: every file is
 * checked against manifest.json before the first byte is written, and every image is read back
 * and its CRC-32 compared with the manifest's before any token runs.
 */
final class ImageLoader {
    private ImageLoader() {
    }

    /** Every image file, refused (BadInputException) unless it matches manifest.json; before any board is opened. */
    static List<byte[]> verifiedFiles(CompiledBuild build) {
        List<byte[]> data = new ArrayList<>();
        for (BuildManifest.Image i : build.manifest().images()) data.add(build.verifiedImage(i));
        return data;
    }

    /** Writes the images in chunks, then reads each back and refuses the board if a CRC-32 differs. */
    static LoadStats load(Board board, CompiledBuild build, List<byte[]> data, int chunk, LoadProgress progress) {
        List<BuildManifest.Image> images = build.manifest().images();
        long t0 = System.nanoTime();
        long total = 0;
        for (BuildManifest.Image i : images) total += i.size();
        long done = 0;
        progress.loaded(images.get(0).name(), 0, total);
        for (int k = 0; k < images.size(); k++) {
            BuildManifest.Image img = images.get(k);
            byte[] bytes = data.get(k);
            for (int off = 0; off < bytes.length; off += chunk) {
                int len = Math.min(chunk, bytes.length - off);
                board.memWrite(img.base() + off, bytes, off, len);
                done += len;
                progress.loaded(img.name(), done, total);
            }
        }
        long t1 = System.nanoTime();
        byte[] buf = new byte[chunk];
        for (BuildManifest.Image img : images) {
            long crc = readBackCrc(board, img, buf);
            if (crc != img.crc32()) {
                throw new ImageCheckException(String.format("%s read back from board memory at 0x%x (%d bytes) has CRC-32 %08x, "
                        + "but manifest.json records %08x: the board's memory or the transfer is faulty; no token was run",
                        img.name(), img.base(), img.size(), crc, img.crc32()));
            }
        }
        return new LoadStats(total, t1 - t0, System.nanoTime() - t1);
    }

    static long readBackCrc(Board board, BuildManifest.Image img, byte[] buf) {
        CRC32 crc = new CRC32();
        for (long off = 0; off < img.size(); off += buf.length) {
            int len = (int) Math.min(buf.length, img.size() - off);
            board.memRead(img.base() + off, buf, 0, len);
            crc.update(buf, 0, len);
        }
        return crc.getValue();
    }
}
