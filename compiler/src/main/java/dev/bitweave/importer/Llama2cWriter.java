package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes any checkpoint as a llama2.c legacy fp32 file, one tensor in memory at a time. The file is
 * written beside the target and renamed over it at the end, so readers never see half a model.
 * The freq_cis tables are written as zeros: run.c and {@link Llama2cCheckpoint} skip them.
 */
public final class Llama2cWriter {
    private Llama2cWriter() {
    }

    /** Writes {@code source} to {@code target}; returns the file's size in bytes. */
    public static long write(Checkpoint source, Path target) throws IOException {
        ModelConfig c = source.config();
        if (c.ropeTheta() != Llama2cCheckpoint.ROPE_THETA || c.normEps() != Llama2cCheckpoint.NORM_EPS) {
            throw new BadInputException(source.source() + ": cannot be written as llama2.c, whose format fixes rope theta "
                    + Llama2cCheckpoint.ROPE_THETA + " and norm epsilon " + Llama2cCheckpoint.NORM_EPS
                    + "; this model has " + c.ropeTheta() + " and " + c.normEps());
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
        try {
            long size;
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(BinaryFile.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads())
                        .putInt(c.tiedClassifier() ? c.vocabSize() : -c.vocabSize()).putInt(c.seqLen());
                long freqCisFloats = 2L * c.seqLen() * (c.headSize() / 2);
                boolean freqCisWritten = false;
                for (TensorShape t : TensorName.all(c)) {
                    if (t.name().equals(TensorName.OUTPUT)) {
                        writeZeros(out, buf, freqCisFloats);
                        freqCisWritten = true;
                    }
                    float[] values = source.readFloat(t.name());
                    if (values.length != t.elements()) {
                        throw new BadInputException(source.source() + ": tensor " + t.name() + " has " + values.length
                                + " elements, expected " + t.elements() + " [" + t.rows() + "x" + t.cols() + "]");
                    }
                    put(out, buf, values, values.length);
                }
                if (!freqCisWritten) writeZeros(out, buf, freqCisFloats);
                drain(out, buf);
                out.force(true);
                size = out.size();
            }
            move(tmp, target);
            return size;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void writeZeros(FileChannel out, ByteBuffer buf, long floats) throws IOException {
        float[] zeros = new float[(int) Math.min(floats, BinaryFile.CHUNK_BYTES / 4)];
        for (long left = floats; left > 0; left -= zeros.length) {
            put(out, buf, zeros, (int) Math.min(left, zeros.length));
        }
    }

    /** Appends the first {@code n} values to the buffer, draining it to the file whenever it fills. */
    private static void put(FileChannel out, ByteBuffer buf, float[] values, int n) throws IOException {
        for (int done = 0; done < n; ) {
            if (buf.remaining() < 4) drain(out, buf);
            int k = Math.min(n - done, buf.remaining() / 4);
            buf.asFloatBuffer().put(values, done, k);
            buf.position(buf.position() + 4 * k);
            done += k;
        }
    }

    private static void drain(FileChannel out, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) out.write(buf);
        buf.clear();
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
