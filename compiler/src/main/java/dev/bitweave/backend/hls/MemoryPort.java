package dev.bitweave.backend.hls;

import dev.bitweave.backend.rtl.VerilogIdentifier;

/**
 * One m_axi port of the HLS kernel.
 *
 * @param argument the C++ argument: what v++ connectivity (sp=) names
 * @param bundle   the m_axi bundle: what the exported IP's AXI interface is named after
 */
public record MemoryPort(String argument, String bundle) {
    public MemoryPort {
        VerilogIdentifier.require("m_axi argument", argument);
        VerilogIdentifier.require("m_axi bundle", bundle);
    }

    /** The AXI master interface of the exported IP, as Vivado shows it: m_axi_ + bundle. */
    public String ipInterface() {
        return "m_axi_" + bundle;
    }
}
