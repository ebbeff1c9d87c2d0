package dev.bitweave.numerics;

/** SiLU and the SwiGLU gate in fx (docs/numerics.md, "SiLU"). */
public final class IntSilu {
    private IntSilu() {
    }

    /** x * sigmoid(x); sigmoid(|x|) = floor(2^32 / (2^16 + exp(-|x|))) in Q0.16. */
    public static int silu(int x) {
        long ax = Math.abs((long) x);
        long e = IntExp.expFx(-ax);
        long sigPos = (1L << 32) / (Fixed.FX_ONE + e);
        long sig = x >= 0 ? sigPos : Fixed.FX_ONE - sigPos;
        return Fixed.sat32(Fixed.shiftRound(x * sig, Fixed.FX));
    }

    /** silu(gate) * up, element-wise, in fx. */
    public static int[] swiglu(int[] gate, int[] up) {
        int[] h = new int[gate.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = Fixed.sat32(Fixed.shiftRound((long) silu(gate[i]) * up[i], Fixed.FX));
        }
        return h;
    }
}
