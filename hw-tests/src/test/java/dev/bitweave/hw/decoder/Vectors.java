package dev.bitweave.hw.decoder;

import java.util.Random;

/** Test vectors for the decoder units: the magnitudes and patterns that stress the integer paths. */
final class Vectors {
    enum Kind { MIXED, TINY, HUGE, ZERO, ONE_NONZERO, SATURATED, SMALL_POSITIVE, NEGATIVE }

    private Vectors() {
    }

    static int[] of(Kind kind, Random r, int n) {
        int[] v = new int[n];
        switch (kind) {
            case MIXED -> {
                for (int i = 0; i < n; i++) v[i] = r.nextInt(1 << (1 + r.nextInt(30))) * (r.nextBoolean() ? 1 : -1);
            }
            case TINY -> {
                for (int i = 0; i < n; i++) v[i] = r.nextInt(7) - 3;
            }
            case HUGE -> {
                for (int i = 0; i < n; i++) v[i] = r.nextBoolean() ? r.nextInt() : (r.nextBoolean() ? 1 : -1) * (Integer.MAX_VALUE - r.nextInt(1 << 20));
            }
            case ZERO -> {
            }
            case ONE_NONZERO -> v[r.nextInt(n)] = r.nextBoolean() ? 1 + r.nextInt(1 << r.nextInt(31)) : -1 - r.nextInt(1 << r.nextInt(31));
            case SATURATED -> {
                for (int i = 0; i < n; i++) {
                    v[i] = switch (r.nextInt(4)) {
                        case 0 -> Integer.MIN_VALUE;
                        case 1 -> Integer.MAX_VALUE;
                        default -> r.nextInt();
                    };
                }
            }
            case SMALL_POSITIVE -> {
                for (int i = 0; i < n; i++) v[i] = r.nextInt(1 << 16);
            }
            case NEGATIVE -> {
                for (int i = 0; i < n; i++) v[i] = -r.nextInt(1 << 20) - 1;
            }
        }
        return v;
    }
}
