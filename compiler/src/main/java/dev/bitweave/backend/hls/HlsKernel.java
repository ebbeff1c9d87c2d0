package dev.bitweave.backend.hls;

import dev.bitweave.backend.rtl.VerilogIdentifier;

import java.util.List;

/**
 * The fixed interface of the generated HLS C++ kernel (hls/bitweave_kernel.cpp), as far as the
 * vendor flow needs it: the top function, its AXI ports and the files it is made of. The flow
 * scripts name these and nothing else, so a change of the kernel's interface is one edit here.
 */
public final class HlsKernel {
    /** Top function, which Vitis HLS also uses as the IP and kernel name. */
    public static final String TOP = VerilogIdentifier.require("HLS top", "bitweave_kernel");
    /** s_axilite bundle of the scalars and of ap_ctrl_hs; the IP's interface is s_axi_ + this. */
    public static final String CONTROL_BUNDLE = VerilogIdentifier.require("s_axilite bundle", "control");
    /**
     * The three m_axi ports, all over the same board memory: the weight stream has its own port so
     * that it never waits behind KV-cache or activation traffic.
     */
    public static final List<MemoryPort> MEMORY_PORTS = List.of(
            new MemoryPort("wmem", "gmem_w"),
            new MemoryPort("kvmem", "gmem_kv"),
            new MemoryPort("iomem", "gmem_io"));
    /** The kernel's one C++ translation unit, relative to hls/: what v++ -c compiles. */
    public static final String SOURCE = "bitweave_kernel.cpp";
    /** Synthesized sources, relative to hls/: the translation unit and its header. */
    public static final List<String> SOURCES = List.of(SOURCE, "bitweave_kernel.h");
    /** C test bench, relative to hls/; never synthesized. */
    public static final String TEST_BENCH = "bitweave_tb.cpp";
    /**
     * The g++ stand-in for Vitis' ap_int.h, relative to hls/. Listed so that the flow can say it
     * is left out: under Vitis HLS the real headers must win, and adding this file would shadow them.
     */
    public static final String CSIM_STAND_IN = "csim/ap_int.h";

    private HlsKernel() {
    }

    /** The s_axilite interface name of the exported IP (Vivado block design, RTL port prefix). */
    public static String controlInterface() {
        return "s_axi_" + CONTROL_BUNDLE;
    }
}
