package dev.bitweave.runtime.board;

/** Register byte offsets and bits of docs/hardware.md, shared by every bitweave design. */
public final class BoardRegisters {
    public static final int ID = 0x00;
    public static final int PARAMS = 0x04;
    public static final int CONTROL = 0x08;
    public static final int STATUS = 0x0C;
    public static final int PROG_LO = 0x10;
    public static final int PROG_HI = 0x14;
    public static final int STATS_LO = 0x18;
    public static final int STATS_HI = 0x1C;
    public static final int PC = 0x20;
    public static final int ERROR = 0x24;
    public static final int CYCLES_LO = 0x28;
    public static final int CYCLES_HI = 0x2C;
    /** Decoder registers (docs/decoder.md). */
    public static final int TOKEN = 0x30;
    public static final int POS = 0x34;
    public static final int ARGMAX = 0x38;
    public static final int ARGMAX_VALUE = 0x3C;
    /** Entries of the program; non-zero (and within the build's capacity) caches it on chip. */
    public static final int PROG_LEN = 0x40;
    /** Added by the kernel to every memory address it issues: the bus address of board memory's byte 0. */
    public static final int MEM_BASE_LO = 0x44;
    public static final int MEM_BASE_HI = 0x48;

    /** "BWV1" */
    public static final int ID_VALUE = 0x42575631;
    public static final int CONTROL_START = 0x1;
    public static final int CONTROL_SOFT_RESET = 0x2;
    public static final int STATUS_BUSY = 0x1;
    public static final int STATUS_DONE = 0x2;
    public static final int STATUS_ERROR = 0x4;

    private BoardRegisters() {
    }
}
