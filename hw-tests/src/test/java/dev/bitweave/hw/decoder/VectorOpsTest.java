package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.ProgramImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The top's own vector moves (LOAD_VEC, STORE_VEC, LOAD_ACT, STORE_ACT) and the residual ADD. */
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
    void vectorsRoundTripAndAddSaturates(int bus) {
        Random r = new Random(bus);
        try (UnitBench b = UnitBench.open(bus)) {
            for (int n : new int[]{1, 5, 64, 172, 768}) {
                int[] x = random(r, n);
                int[] y = random(r, n);
                b.loadVec(0, x);
                b.loadVec(2048, y);
                assertArrayEquals(x, b.vec(0, n), "LOAD_VEC then STORE_VEC, n " + n);
                b.run(DecoderOps.add(n, 0, 2048));
                int[] want = new int[n];
                for (int i = 0; i < n; i++) want[i] = Fixed.sat32((long) x[i] + y[i]);
                assertArrayEquals(want, b.vec(0, n), "ADD, n " + n);
                assertArrayEquals(y, b.vec(2048, n), "ADD leaves y alone");
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
