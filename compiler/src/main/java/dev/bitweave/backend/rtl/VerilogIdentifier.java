package dev.bitweave.backend.rtl;

import java.util.regex.Pattern;

/**
 * Module and parameter names reach tool command lines and Yosys scripts: plain Verilog identifiers only.
 * Public because the HLS flow (backend.hls) puts the same kind of names into Vitis and Vivado tcl.
 */
public final class VerilogIdentifier {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private VerilogIdentifier() {
    }

    /** @throws IllegalArgumentException naming {@code what} unless {@code name} is a plain identifier */
    public static String require(String what, String name) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a plain Verilog identifier");
        }
        return name;
    }
}
