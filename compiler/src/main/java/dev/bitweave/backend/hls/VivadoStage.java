package dev.bitweave.backend.hls;

import java.util.Arrays;
import java.util.List;

/** How far vivado/block_design.tcl goes; each stage includes the ones before it. */
public enum VivadoStage {
    /** Block design, validation and HDL wrapper: minutes, and shows whether the design hangs together. */
    DESIGN("design"),
    /** Synthesis, implementation and the bitstream: what a board needs; the default. */
    BITSTREAM("bitstream"),
    /** Also a fixed .xsa hardware platform with the bitstream, for PetaLinux or Vitis embedded. */
    XSA("xsa");

    public static final VivadoStage DEFAULT = BITSTREAM;
    /**
     * Parallel implementation runs: Vivado's own default is 1; 4 fits the laptops and build
     * servers such a flow runs on without asking for more memory than one implementation needs.
     */
    public static final int IMPL_JOBS = 4;

    private final String tclName;

    VivadoStage(String tclName) {
        this.tclName = tclName;
    }

    public String tclName() {
        return tclName;
    }

    public static List<String> tclNames() {
        return Arrays.stream(values()).map(VivadoStage::tclName).toList();
    }
}
