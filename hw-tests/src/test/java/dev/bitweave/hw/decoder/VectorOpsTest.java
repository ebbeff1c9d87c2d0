package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.IntLinear;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.pack.HardwareParams;
import dev.bitweave.pack.LayerRegion;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.pack.LinearShape;
import dev.bitweave.pack.WeightImagePacker;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardRegisters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top's own vector moves (LOAD_VEC, STORE_VEC, LOAD_ACT, STORE_ACT) and the LINEAR that accumulates. */
class VectorOpsTest {
    static int[] random(Random r, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (r.nextInt(4)) {
                case 0 -> Integer.MAX_VALUE - r.nextInt(3);
                case 1 -> Integer.MIN_VALUE + r.nextInt(3);
                default -> r.nextInt(1 << (1 + r.nextInt(30))) - (1 << 20);
            };
        }
        return v;
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void vectorsRoundTrip(int bus) {
        Random r = new Random(bus);
        try (UnitBench b = UnitBench.open(bus)) {
            for (int n : new int[]{1, 5, 64, 172, 768}) {
                int[] x = random(r, n);
                b.loadVec(0, x);
                assertArrayEquals(x, b.vec(0, n), "LOAD_VEC then STORE_VEC, n " + n);
            }
        }
    }

    /** MEM_BASE offsets every address the kernel issues: program, stats and the entries' own. */
    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void memBaseOffsetsEveryAccess(int bus) {
        Random r = new Random(3);
        long base = 8L << 20;
        try (UnitBench b = UnitBench.open(bus)) {
            Board hw = b.board();
            int[] x = random(r, 100);
            hw.memWrite(base + UnitBench.SCRATCH, UnitBench.ints(x));
            hw.memWrite(base + UnitBench.PROGRAM, ProgramImage.encode(List.of(DecoderOps.loadVec(100, UnitBench.SCRATCH, 0),
                    new ProgramImage.StoreVec(100, UnitBench.DATA), new ProgramImage.End())));
            hw.regWrite(BoardRegisters.PROG_LO, (int) UnitBench.PROGRAM);
            hw.regWrite(BoardRegisters.STATS_LO, (int) UnitBench.STATS);
            hw.regWrite(BoardRegisters.MEM_BASE_LO, (int) base);
            assertEquals((int) base, hw.regRead(BoardRegisters.MEM_BASE_LO));
            hw.start();
            hw.waitDone(1_000_000L, 60_000);
            assertEquals(0, hw.regRead(BoardRegisters.STATUS) & BoardRegisters.STATUS_ERROR);
            assertArrayEquals(UnitBench.ints(x), hw.memRead(base + UnitBench.DATA, 400), "STORE_VEC landed at base + address");
            assertTrue(java.nio.ByteBuffer.wrap(hw.memRead(base + UnitBench.STATS, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong() > 0, "stats at base + STATS");
            assertArrayEquals(new byte[400], hw.memRead(UnitBench.DATA, 400), "nothing written below the base");
        }
    }

    /** The residual add fused into LINEAR (w14 bit 1): x = sat32(x + W a), row by row as it lands. */
    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void linearAccumulatesWithSaturation(int bus) {
        Random r = new Random(31 + bus);
        try (UnitBench b = UnitBench.open(bus)) {
            for (int rows : new int[]{1, 37, 300}) {
                int cols = 64;
                byte[] codes = new byte[rows * cols];
                for (int i = 0; i < codes.length; i++) codes[i] = (byte) (r.nextInt(255) - 127);
                int[] mult = new int[rows];
                int[] exp = new int[rows];
                java.util.Arrays.fill(mult, 1);
                java.util.Arrays.fill(exp, -8);
                QuantTensor t = new QuantTensor("w", rows, cols, new WeightSpec(ElementFormat.INT, 8, true, cols,
                        ScaleEncoding.POW2, 0), codes, mult, exp, null);
                LinearLayout layout = new HardwareParams(bus, List.of(8), 2048, 16 * bus).layout(LinearShape.of(t));
                byte[] region = WeightImagePacker.packRegion(t, layout, bus);
                long weights = UnitBench.DATA + 0x10000;
                b.mem(weights, region);
                ProgramImage.Linear op = ProgramImage.Linear.of(new LayerRegion("w", weights, region.length, layout));
                int[] a = new int[cols];
                for (int i = 0; i < cols; i++) a[i] = r.nextInt(1 << 20) - (1 << 19);
                QuantizedVector act = ActivationQuantizer.quantizeFx(a, 8);
                b.mem(UnitBench.DATA, ActivationBlock.encode(act, bus));
                int[] y = new IntLinear(t, 8).apply(act);
                int[] x = random(r, rows);
                b.loadVec(0, x);
                b.run(new ProgramImage.LoadAct(cols, UnitBench.DATA), new ProgramImage.LinearTo(op, 4096, false),
                        new ProgramImage.LinearTo(op, 0, false, true));
                assertArrayEquals(y, b.vec(4096, rows), "plain LINEAR, rows " + rows);
                int[] want = new int[rows];
                boolean saturated = false;
                for (int i = 0; i < rows; i++) {
                    want[i] = Fixed.sat32((long) x[i] + y[i]);
                    saturated |= want[i] != x[i] + y[i];
                }
                assertArrayEquals(want, b.vec(0, rows), "accumulating LINEAR, rows " + rows);
                if (rows == 300) assertTrue(saturated, "the vectors reach saturation");
            }
        }
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void activationBlockRoundTrips(int bus) {
        Random r = new Random(7);
        try (UnitBench b = UnitBench.open(bus)) {
            for (int n : new int[]{3, 64, 172}) {
                QuantizedVector q = ActivationQuantizer.quantizeFx(random(r, n), 8);
                b.mem(UnitBench.DATA, ActivationBlock.encode(q, bus));
                b.run(new ProgramImage.LoadAct(n, UnitBench.DATA));
                QuantizedVector got = b.act(n);
                assertArrayEquals(q.codes(), got.codes());
                assertEquals(q.step(), got.step());
            }
        }
    }
}
