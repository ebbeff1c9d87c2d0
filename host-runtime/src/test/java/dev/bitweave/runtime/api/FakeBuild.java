package dev.bitweave.runtime.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** A small build directory with a valid manifest.json, plan/plan.json and three images (no RTL). */
final class FakeBuild {
    static final byte[] WEIGHTS = bytes(64, 3);
    static final byte[] TABLES = bytes(64, 5);
    static final byte[] PROGRAM = bytes(64, 7);

    private FakeBuild() {
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * seed + 1);
        return b;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    static String manifest() {
        return """
                {"schema": "bitweave.manifest", "version": 2,
                 "board": {"name": "kria-kv260", "part": "xck26", "busWidthBits": 128, "kernelClockMHz": 300.0},
                 "hardware": {"bus": 128, "modes": [8], "maxCols": 256, "scaleBits": 512},
                 "estimate": {"bytesPerCycle": 16.0, "fixedCycles": 80, "method": "estimate"},
                 "images": [
                   {"name": "weights.img", "base": 0, "size": 64, "crc32": %d},
                   {"name": "tables.img", "base": 4096, "size": 64, "crc32": %d},
                   {"name": "program.img", "base": 8192, "size": 64, "crc32": %d}],
                 "memory": {"weights": {"base": 0, "size": 64}, "tables": {"base": 4096, "size": 64},
                   "program": {"base": 8192, "size": 64}, "scratch": {"base": 12288, "size": 20480},
                   "activation": {"base": 12288, "size": 64}, "output": {"base": 16384, "size": 64},
                   "stats": {"base": 20480, "size": 16}, "logits": {"base": 24576, "size": 2048},
                   "kv": {"base": 28672, "size": 4096}},
                 "layers": [{"name": "token_embd", "planBits": 4096}]}
                """.formatted(crc(WEIGHTS), crc(TABLES), crc(PROGRAM));
    }

    static String plan() {
        return """
                {"schema": "bitweave.plan", "model": {"dim": 64, "hiddenDim": 172, "layers": 5, "heads": 8, "kvHeads": 4,
                  "headSize": 8, "vocabSize": 512, "seqLen": 512, "ropeTheta": 10000.0, "normEps": 1.0E-5,
                  "tiedClassifier": true}, "activations": 8, "kvBits": 8}
                """;
    }

    static Path write(Path dir) throws IOException {
        return write(dir, manifest());
    }

    static Path write(Path dir, String manifest) throws IOException {
        Files.createDirectories(dir.resolve("plan"));
        Files.writeString(dir.resolve("manifest.json"), manifest, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("plan/plan.json"), plan(), StandardCharsets.UTF_8);
        Files.write(dir.resolve("weights.img"), WEIGHTS);
        Files.write(dir.resolve("tables.img"), TABLES);
        Files.write(dir.resolve("program.img"), PROGRAM);
        return dir;
    }
}
