package dev.bitweave.runtime.board;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.Buffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JNA binding of the board C ABI, {@code host-runtime/src/main/c/bitweave_board.h}. Every
 * driver library (simulated board, XRT, Zynq) exports these functions. Use {@link Board}
 * rather than this interface: it checks every return code.
 *
 * <p>Unsigned C types map to the Java type of the same width; register values are raw bits.
 */
public interface BoardLibrary extends Library {
    /** The ABI version this binding speaks; {@link #load} refuses a library with another. */
    int ABI_VERSION = 1;

    int bw_abi_version();

    int bw_open(String config, PointerByReference out);

    void bw_close(Pointer board);

    /** src: a direct or array-backed buffer; JNA passes the address of its position. */
    int bw_mem_write(Pointer board, long addr, Buffer src, long len);

    int bw_mem_read(Pointer board, long addr, Buffer dst, long len);

    int bw_reg_write(Pointer board, int offset, int value);

    int bw_reg_read(Pointer board, int offset, IntByReference value);

    int bw_start(Pointer board);

    int bw_wait(Pointer board, long maxCycles, long timeoutMs);

    int bw_soft_reset(Pointer board);

    long bw_cycles(Pointer board);

    String bw_last_error(Pointer board);

    /**
     * Loads a driver library by path, once per path. RTLD_LOCAL keeps each library's symbols
     * to itself: two simulated boards built for different designs both contain a class named
     * Vbitweave_top, and a global binding would let one call into the other's.
     */
    static BoardLibrary load(Path library) {
        return Loaded.BY_PATH.computeIfAbsent(library.toAbsolutePath().normalize(), path -> {
            BoardLibrary lib;
            try {
                lib = Native.load(path.toString(), BoardLibrary.class,
                        Map.of(Library.OPTION_OPEN_FLAGS, Loaded.RTLD_NOW_LOCAL));
            } catch (UnsatisfiedLinkError e) {
                throw new BoardException(BoardError.IO, path + ": cannot load the board library: " + e.getMessage());
            }
            int version = lib.bw_abi_version();
            if (version != ABI_VERSION) {
                throw new BoardException(BoardError.UNSUPPORTED, path + ": board ABI version " + version
                        + ", this runtime speaks version " + ABI_VERSION);
            }
            return lib;
        });
    }

    /** Holder for the interface's private state. */
    final class Loaded {
        /** RTLD_NOW (report missing symbols at load) | RTLD_LOCAL (0) on Linux. */
        static final int RTLD_NOW_LOCAL = 2;
        static final Map<Path, BoardLibrary> BY_PATH = new ConcurrentHashMap<>();

        private Loaded() {
        }
    }
}
