package dev.bitweave.backend.hls;

/** One m_axi pointer port of the kernel, its AXI bundle, and where its 64-bit base address sits in "control". */
public record HlsPort(String name, String bundle, int offset, String doc) {
    public HlsPort {
        CppIdentifier.require("port", name);
        CppIdentifier.require("bundle", bundle);
    }

    public String hex() {
        return String.format("%02X", offset);
    }
}
