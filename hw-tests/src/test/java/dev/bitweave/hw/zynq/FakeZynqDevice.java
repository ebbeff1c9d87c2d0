package dev.bitweave.hw.zynq;

import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardException;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Zynq board made of two plain files and a simulated board: the zynq driver maps the files as
 * its UIO register window and its DMA buffer, and this device maps the same files and behaves
 * like the programmable logic behind them.
 *
 * <p>The simulated board models the bus the kernel sees: its memory is the physical address
 * space from 0 to phys + buffer size, and the buffer file is the range [phys, phys + size). Every
 * register reaches the simulated kernel exactly as the driver wrote it. The driver writes phys
 * into MEM_BASE, and the simulated kernel adds it to every address it issues. So PROG, STATS and
 * the addresses inside a program are offsets in the buffer, and the kernel really accesses
 * phys + offset, as on a real board.
 *
 * <p>One thread watches the register file. Register writes (PROG_*, STATS_*, TOKEN, POS,
 * PROG_LEN, MEM_BASE_*) are forwarded to the simulated board when their value changes; a CONTROL pulse is
 * forwarded (start after copying the buffer file into the simulated memory, soft reset at once)
 * and then cleared, which is how the driver sees it taken (CONTROL reads 0 on hardware). While
 * the kernel runs, the thread clocks the simulated board in slices and mirrors STATUS, PC,
 * ERROR, CYCLES and ARGMAX into the file; on done it copies the simulated memory back into the
 * buffer file before STATUS shows done.
 *
 * <p>Limitation: a rewrite of a register with the value it already holds is not seen (a plain
 * file records no write events); on hardware, rewriting PROG_* or MEM_BASE_* drops a cached
 * program.
 */
final class FakeZynqDevice implements AutoCloseable {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Registers the host writes and the kernel latches. */
    private static final int[] FORWARDED = {BoardRegisters.PROG_LO, BoardRegisters.PROG_HI, BoardRegisters.STATS_LO,
            BoardRegisters.STATS_HI, BoardRegisters.TOKEN, BoardRegisters.POS, BoardRegisters.PROG_LEN,
            BoardRegisters.MEM_BASE_LO, BoardRegisters.MEM_BASE_HI};
    /** Registers the kernel drives; STATUS is written last. */
    private static final int[] MIRRORED = {BoardRegisters.PC, BoardRegisters.ERROR, BoardRegisters.CYCLES_LO,
            BoardRegisters.CYCLES_HI, BoardRegisters.ARGMAX, BoardRegisters.ARGMAX_VALUE, BoardRegisters.STATUS};
    private static final long SLICE_CYCLES = 20_000;

    private final Board sim;
    private final MappedByteBuffer regs;
    private final MappedByteBuffer mem;
    private final long phys;
    private final int memBytes;
    private final int[] last = new int[FORWARDED.length];
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile String busFault;
    private int starts;

    FakeZynqDevice(Board sim, Path regsFile, Path memFile, long phys, int memBytes) throws IOException {
        this.sim = sim;
        this.phys = phys;
        this.memBytes = memBytes;
        try (FileChannel r = FileChannel.open(regsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel m = FileChannel.open(memFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            regs = r.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            mem = m.map(FileChannel.MapMode.READ_WRITE, 0, memBytes);
        }
        put(BoardRegisters.ID, sim.regRead(BoardRegisters.ID));
        put(BoardRegisters.PARAMS, sim.regRead(BoardRegisters.PARAMS));
        put(BoardRegisters.CONTROL, 0);
        for (int i = 0; i < FORWARDED.length; i++) {
            last[i] = sim.regRead(FORWARDED[i]);
            put(FORWARDED[i], last[i]);
        }
        mirror();
        thread = new Thread(this::loop, "fake-zynq-device");
        thread.setDaemon(true);
        thread.start();
    }

    /** The bus fault the simulated kernel made, if any (a real board would hang or read garbage). */
    String busFault() {
        return busFault;
    }

    /** How many start pulses reached the simulated board. */
    synchronized int starts() {
        return starts;
    }

    private int get(int offset) {
        return (int) INT.getVolatile(regs, offset);
    }

    private void put(int offset, int value) {
        INT.setVolatile(regs, offset, value);
    }

    private void loop() {
        boolean running = false;
        try {
            while (!stop) {
                // CONTROL first: every register the driver wrote before the pulse is then visible.
                int control = get(BoardRegisters.CONTROL);
                for (int i = 0; i < FORWARDED.length; i++) {
                    int v = get(FORWARDED[i]);
                    if (v != last[i]) {
                        sim.regWrite(FORWARDED[i], v);
                        last[i] = v;
                    }
                }
                if ((control & BoardRegisters.CONTROL_SOFT_RESET) != 0) {
                    sim.softReset();
                    running = false;
                    mirror();
                    put(BoardRegisters.CONTROL, 0);
                } else if ((control & BoardRegisters.CONTROL_START) != 0) {
                    byte[] image = new byte[memBytes];
                    mem.get(0, image);
                    sim.memWrite(phys, image);
                    sim.start();
                    synchronized (this) {
                        starts++;
                    }
                    running = true;
                    mirror();
                    put(BoardRegisters.CONTROL, 0);
                } else if (control != 0) {
                    put(BoardRegisters.CONTROL, 0);  // no pulse bits: hardware ignores it
                }
                if (running) {
                    try {
                        sim.waitDone(SLICE_CYCLES, 0);
                        running = false;
                        copyBack();
                    } catch (BoardTimeoutException slice) {
                        // still running
                    } catch (BoardException e) {
                        // STATUS.error (mirrored below) or a bus fault
                        running = false;
                        if (e.getMessage() != null && e.error() == dev.bitweave.runtime.board.BoardError.BUS) {
                            busFault = e.getMessage();
                        }
                        copyBack();
                    }
                    mirror();
                } else {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void copyBack() {
        mem.put(0, sim.memRead(phys, memBytes));
        VarHandle.fullFence();
    }

    private void mirror() {
        for (int off : MIRRORED) {
            put(off, sim.regRead(off));
        }
    }

    /** Stops the device thread; rethrows what it failed with, if anything. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("the fake Zynq device failed: " + failure, failure);
        }
    }
}
