package dev.bitweave.importer;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only little-endian file read by position. Positional reads keep importers stateless
 * (any thread may read any tensor) and never map or load the whole file; a short read becomes
 * a {@link BadInputException} that says where and what was being read.
 */
final class BinaryFile implements AutoCloseable {
    /** Tensors are converted through a buffer of this size, so a read costs the tensor plus 1 MiB. */
    static final int CHUNK_BYTES = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final long size;

    private BinaryFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static BinaryFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new BinaryFile(path, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /** Fills {@code dst} from {@code offset} (little-endian, flipped for reading), or says what was cut. */
    ByteBuffer read(long offset, ByteBuffer dst, String what) throws IOException {
        dst.order(ByteOrder.LITTLE_ENDIAN);
        long end = offset + dst.remaining();
        if (offset < 0 || end > size) {
            throw BadInputException.atOffset(path, Math.min(Math.max(offset, 0), size),
                    "file ends at byte " + size + " but " + what + " needs bytes " + offset + ".." + end);
        }
        long at = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                // The file shrank under us after open.
                throw BadInputException.atOffset(path, at, "unexpected end of file while reading " + what);
            }
            at += n;
        }
        return dst.flip();
    }

    ByteBuffer read(long offset, int length, String what) throws IOException {
        return read(offset, ByteBuffer.allocate(length), what);
    }

    /** {@code count} fp32 values starting at {@code offset}. */
    float[] readFloats(long offset, int count, String what) throws IOException {
        float[] out = new float[count];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, 4L * count));
        int done = 0;
        while (done < count) {
            int n = Math.min(count - done, chunk.capacity() / 4);
            chunk.clear().limit(4 * n);
            read(offset + 4L * done, chunk, what).asFloatBuffer().get(out, done, n);
            done += n;
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
