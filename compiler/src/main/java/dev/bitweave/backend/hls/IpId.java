package dev.bitweave.backend.hls;

/**
 * The VLNV export_design gives the HLS IP, and block_design.tcl instantiates: set explicitly on
 * both sides so that they cannot disagree.
 */
public record IpId(String vendor, String library, String name, String version) {
    public IpId {
        TclWord.require("IP vendor", vendor);
        TclWord.require("IP library", library);
        TclWord.require("IP name", name);
        TclWord.require("IP version", version);
    }

    public String vlnv() {
        return vendor + ":" + library + ":" + name + ":" + version;
    }
}
