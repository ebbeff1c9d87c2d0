package dev.bitweave.importer;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Sequential little-endian reads of a GGUF header through a small window of the file. Every read
 * says what it is for, so a truncated or corrupt header is reported as "at offset N: file ends
 * while reading the name of tensor 12" rather than an exception from deep inside NIO.
 */
final class GgufCursor {
    private static final int WINDOW = 1 << 16;

    private final BinaryFile file;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private long pos;

    GgufCursor(BinaryFile file) {
        this.file = file;
        window.limit(0);
    }

    long position() {
        return pos;
    }

    long remaining() {
        return file.size() - pos;
    }

    BadInputException error(long offset, String problem) {
        return BadInputException.atOffset(file.path(), offset, problem);
    }

    private ByteBuffer need(int n, String what) throws IOException {
        if (remaining() < n) {
            throw error(pos, "file ends at byte " + file.size() + " while reading " + what
                    + " (needs " + n + " bytes, " + remaining() + " left)");
        }
        long inWindow = pos - windowStart;
        if (inWindow < 0 || inWindow + n > window.limit()) {
            window.clear().limit((int) Math.min(WINDOW, file.size() - pos));
            file.read(pos, window, what);
            windowStart = pos;
            inWindow = 0;
        }
        window.position((int) inWindow);
        pos += n;
        return window;
    }

    int u8(String what) throws IOException {
        return need(1, what).get() & 0xFF;
    }

    short i16(String what) throws IOException {
        return need(2, what).getShort();
    }

    int i32(String what) throws IOException {
        return need(4, what).getInt();
    }

    long i64(String what) throws IOException {
        return need(8, what).getLong();
    }

    float f32(String what) throws IOException {
        return need(4, what).getFloat();
    }

    double f64(String what) throws IOException {
        return need(8, what).getDouble();
    }

    /** A u64 count or size that must fit in the rest of the file at {@code minBytesEach} bytes per unit. */
    long count(String what, long minBytesEach) throws IOException {
        long at = pos;
        long n = i64(what);
        if (n < 0 || (minBytesEach > 0 && n > remaining() / minBytesEach)) {
            throw error(at, what + " is " + Long.toUnsignedString(n) + " but the " + remaining()
                    + " bytes left in the file cannot hold that many (at least " + minBytesEach
                    + " bytes each): truncated or corrupt");
        }
        return n;
    }

    /** A GGUF string: u64 length, then that many bytes (UTF-8, not terminated). */
    byte[] bytes(String what) throws IOException {
        long n = count("length of " + what, 1);
        if (n > Integer.MAX_VALUE - 8) {
            throw error(pos - 8, "length of " + what + " is " + n + " bytes, too long to read");
        }
        byte[] out = new byte[(int) n];
        if (n <= WINDOW) {
            need((int) n, what).get(out);
        } else {
            file.read(pos, ByteBuffer.wrap(out), what);
            pos += n;
        }
        return out;
    }

    void skip(long n, String what) throws IOException {
        if (remaining() < n) {
            throw error(pos, "file ends at byte " + file.size() + " while reading " + what
                    + " (needs " + n + " bytes, " + remaining() + " left)");
        }
        pos += n;
    }
}
