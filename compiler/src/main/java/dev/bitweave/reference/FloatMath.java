package dev.bitweave.reference;

/**
 * The C library float functions run.c's forward pass calls. They are the only operations whose
 * results are not pinned down by IEEE 754, so swapping them is how a test can reproduce one
 * particular C library bit for bit.
 */
public interface FloatMath {
    float exp(float x);

    float pow(float x, float y);

    float cos(float x);

    float sin(float x);

    /**
     * java.lang.Math in double, rounded to float: the correctly rounded float except in rare
     * cases, which is also what glibc aims for, so the two differ in a last bit now and then
     * (about 1 in 13,000 exp arguments).
     */
    FloatMath JAVA = new FloatMath() {
        @Override
        public float exp(float x) {
            return (float) Math.exp(x);
        }

        @Override
        public float pow(float x, float y) {
            return (float) Math.pow(x, y);
        }

        @Override
        public float cos(float x) {
            return (float) Math.cos(x);
        }

        @Override
        public float sin(float x) {
            return (float) Math.sin(x);
        }

        @Override
        public String toString() {
            return "java.lang.Math";
        }
    };
}
