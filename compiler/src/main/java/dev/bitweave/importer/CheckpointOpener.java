package dev.bitweave.importer;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Opens a checkpoint file by what it contains, not by its name: GGUF files start with "GGUF";
 * llama2.c legacy files have no magic, so anything else is read as one and validated against its
 * header.
 */
public final class CheckpointOpener {
    private CheckpointOpener() {
    }

    public static Checkpoint open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw BadInputException.inFile(path, "no such file (expected a llama2.c .bin or a GGUF checkpoint)");
        }
        if (Files.isDirectory(path)) {
            throw BadInputException.inFile(path, "is a directory, expected a checkpoint file (llama2.c .bin or GGUF)");
        }
        if (!Files.isReadable(path)) {
            throw BadInputException.inFile(path, "cannot be read (permission denied)");
        }
        byte[] head = firstBytes(path, 9);
        if (head.length >= 4 && Arrays.equals(Arrays.copyOf(head, 4), GgufCheckpoint.MAGIC)) {
            return GgufCheckpoint.open(path);
        }
        if (looksLikeSafetensors(head)) {
            throw BadInputException.atOffset(path, 0, "this looks like a safetensors file, which bitweave does not"
                    + " import yet; expected a llama2.c .bin or a GGUF (llama.cpp's convert_hf_to_gguf.py makes one)");
        }
        if (path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            // Named GGUF but without its magic: unless the content really is llama2.c, say what a
            // GGUF user needs to hear (bad magic), not a llama2.c header complaint about "dim".
            try {
                return Llama2cCheckpoint.open(path);
            } catch (BadInputException notLlama2c) {
                throw BadInputException.atOffset(path, 0, "bad GGUF magic " + hex(head, 4) + ", expected 47 47 55 46 (\"GGUF\"):"
                        + " not a GGUF file (corrupt or not GGUF), nor a llama2.c checkpoint");
            }
        }
        return Llama2cCheckpoint.open(path);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
        return s.length() == 0 ? "(empty file)" : s.toString();
    }

    /**
     * A command-line checkpoint argument: "synthetic:PRESET" or "synthetic:PRESET:SEED" for a
     * {@link SyntheticCheckpoint} (seed 0 by default), otherwise a file path.
     */
    public static Checkpoint open(String spec) throws IOException {
        if (spec.startsWith("synthetic:")) {
            String[] parts = spec.split(":", -1);
            if (parts.length > 3) {
                throw new BadInputException("'" + spec + "': expected synthetic:PRESET or synthetic:PRESET:SEED");
            }
            long seed = 0;
            if (parts.length == 3) {
                try {
                    seed = Long.parseLong(parts[2]);
                } catch (NumberFormatException e) {
                    throw new BadInputException("'" + spec + "': seed '" + parts[2] + "' is not an integer", e);
                }
            }
            return SyntheticCheckpoint.of(parts[1], seed);
        }
        return open(Path.of(spec));
    }

    private static byte[] firstBytes(Path path, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // keep reading until n bytes or end of file
            }
            return Arrays.copyOf(b.array(), b.position());
        }
    }

    /** safetensors: a little-endian u64 JSON header length, then the JSON, which starts with '{'. */
    private static boolean looksLikeSafetensors(byte[] head) {
        if (head.length < 9 || head[8] != '{') return false;
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n < (1L << 32);
    }
}
