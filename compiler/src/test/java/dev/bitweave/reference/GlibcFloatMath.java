package dev.bitweave.reference;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** glibc's expf, powf, cosf and sinf through JNA, to reproduce run.c's float results bit for bit. */
final class GlibcFloatMath implements FloatMath {
    private static final boolean AVAILABLE = register();

    private static boolean register() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            // glibc's own entry point: musl's libm rounds differently, so it does not qualify.
            NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("gnu_get_libc_version");
            Native.register(GlibcFloatMath.class, NativeLibrary.getInstance("m"));
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    static boolean available() {
        return AVAILABLE;
    }

    private static native float expf(float x);

    private static native float powf(float x, float y);

    private static native float cosf(float x);

    private static native float sinf(float x);

    @Override
    public float exp(float x) {
        return expf(x);
    }

    @Override
    public float pow(float x, float y) {
        return powf(x, y);
    }

    @Override
    public float cos(float x) {
        return cosf(x);
    }

    @Override
    public float sin(float x) {
        return sinf(x);
    }
}
