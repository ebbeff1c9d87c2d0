package dev.bitweave.backend.hls;

/**
 * One s_axilite register of the HLS kernel: its port name, byte offset in the "control" bundle and
 * what it holds. Scalars keep the RTL's offsets (docs/hardware.md); see {@link HlsModel} for the rest.
 */
public record HlsRegister(String name, int offset, String doc) {
    public HlsRegister {
        CppIdentifier.require("register", name);
        if (offset < 0x10 || offset % 4 != 0) throw new IllegalArgumentException(name + ": offset " + offset + " is reserved or unaligned");
    }

    /** The offset as the pragma and comments print it. */
    public String hex() {
        return String.format("%02X", offset);
    }
}
