package dev.bitweave.runtime.board;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One open board behind the C ABI: simulated, XRT or Zynq, the same calls. Every failing call
 * throws {@link BoardException} carrying the driver's last_error text.
 *
 * <p>Methods are synchronized, so an instance may be shared between threads; the C handle
 * underneath only ever sees one call at a time, which is what the ABI requires.
 */
public final class Board implements AutoCloseable {
    private final BoardLibrary lib;
    private final String description;
    private Pointer handle;

    private Board(BoardLibrary lib, Pointer handle, String description) {
        this.lib = lib;
        this.handle = handle;
        this.description = description;
    }

    /** Opens a board from the driver library at path; config is "key=value;..." (docs/board-abi.md). */
    public static Board open(Path library, String config) {
        return open(BoardLibrary.load(library), config, library.getFileName().toString());
    }

    public static Board open(BoardLibrary lib, String config, String description) {
        PointerByReference out = new PointerByReference();
        int rc = lib.bw_open(config, out);
        if (rc != 0) {
            throw failure(rc, description + ": cannot open board (config \"" + config + "\"): " + lib.bw_last_error(null));
        }
        return new Board(lib, out.getValue(), description);
    }

    public synchronized void memWrite(long addr, byte[] src) {
        memWrite(addr, src, 0, src.length);
    }

    /** Copies src[off, off + len) to board memory at addr, without an intermediate copy. */
    public synchronized void memWrite(long addr, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        check(lib.bw_mem_write(handle(), addr, ByteBuffer.wrap(src, off, len), len));
    }

    public synchronized byte[] memRead(long addr, int len) {
        byte[] dst = new byte[len];
        memRead(addr, dst, 0, len);
        return dst;
    }

    /** Copies len bytes of board memory at addr into dst[off, off + len). */
    public synchronized void memRead(long addr, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        check(lib.bw_mem_read(handle(), addr, ByteBuffer.wrap(dst, off, len), len));
    }

    public synchronized int regRead(int offset) {
        IntByReference value = new IntByReference();
        check(lib.bw_reg_read(handle(), offset, value));
        return value.getValue();
    }

    public synchronized void regWrite(int offset, int value) {
        check(lib.bw_reg_write(handle(), offset, value));
    }

    /** BUS, the memory data width in bits, from the PARAMS register. */
    public synchronized int busBits() {
        return regRead(BoardRegisters.PARAMS) & 0xFFFF;
    }

    /** Pulses CONTROL.start. */
    public synchronized void start() {
        check(lib.bw_start(handle()));
    }

    /**
     * Returns when the kernel raises done. Throws {@link BoardTimeoutException} when
     * maxCycles cycles (simulated boards) or timeoutMs milliseconds pass first; 0 is no limit.
     */
    public synchronized void waitDone(long maxCycles, long timeoutMs) {
        if (maxCycles < 0 || timeoutMs < 0) {
            throw new IllegalArgumentException("negative wait limit: maxCycles=" + maxCycles + ", timeoutMs=" + timeoutMs);
        }
        check(lib.bw_wait(handle(), maxCycles, timeoutMs));
    }

    /** Pulses CONTROL.soft_reset: aborts a run and clears a bus fault; memory is kept. */
    public synchronized void softReset() {
        check(lib.bw_soft_reset(handle()));
    }

    /** Clock cycles since open (simulated boards); 0 on boards that do not count. */
    public synchronized long cycles() {
        return lib.bw_cycles(handle());
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            lib.bw_close(handle);
            handle = null;
        }
    }

    @Override
    public String toString() {
        return "Board[" + description + "]";
    }

    private Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException(description + ": board is closed");
        }
        return handle;
    }

    private void check(int rc) {
        if (rc != 0) {
            throw failure(rc, description + ": " + lib.bw_last_error(handle));
        }
    }

    private static BoardException failure(int rc, String message) {
        BoardError error = BoardError.of(rc);
        if (error == BoardError.TIMEOUT) {
            return new BoardTimeoutException(message);
        }
        return new BoardException(error, rc, message);
    }
}
