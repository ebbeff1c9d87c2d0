package dev.bitweave.hw;

import dev.bitweave.runtime.board.Board;

/** Drives the test DMA design's extra registers (see the header of dma/bitweave_top.v). */
record Dma(Board board) {
    static final int SRC_LO = 0x40;
    static final int SRC_HI = 0x44;
    static final int DST_LO = 0x48;
    static final int DST_HI = 0x4C;
    static final int LEN = 0x50;
    static final int BURST = 0x54;
    static final int MODE = 0x58;
    static final int MODE_READ_ONLY = 1;
    static final int MODE_HANG = 2;

    /** Programs a transfer of len bytes in bursts of burst beats and starts it. */
    void start(long src, long dst, int len, int burst, int mode) {
        board.regWrite(SRC_LO, (int) src);
        board.regWrite(SRC_HI, (int) (src >>> 32));
        board.regWrite(DST_LO, (int) dst);
        board.regWrite(DST_HI, (int) (dst >>> 32));
        board.regWrite(LEN, len);
        board.regWrite(BURST, burst);
        board.regWrite(MODE, mode);
        board.start();
    }

    /** Runs a copy to completion and returns the cycles from the start pulse to done. */
    long copy(long src, long dst, int len, int burst) {
        return run(src, dst, len, burst, 0);
    }

    /** Reads len bytes and discards them; returns the cycles from the start pulse to done. */
    long read(long src, int len, int burst) {
        return run(src, 0, len, burst, MODE_READ_ONLY);
    }

    long run(long src, long dst, int len, int burst, int mode) {
        start(src, dst, len, burst, mode);
        long before = board.cycles() - 1;  // the start pulse was the last cycle
        board.waitDone(10_000_000, 60_000);
        return board.cycles() - before;
    }
}
