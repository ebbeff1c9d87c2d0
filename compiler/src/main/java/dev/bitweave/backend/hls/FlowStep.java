package dev.bitweave.backend.hls;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The Vitis HLS steps run_hls.tcl can run, in the order it runs them. */
public enum FlowStep {
    CSIM("csim"),
    CSYNTH("csynth"),
    COSIM("cosim"),
    EXPORT("export");

    /**
     * What a bare {@code vitis_hls -f run_hls.tcl} does. Co-simulation is left out: it simulates the
     * synthesized RTL cycle by cycle through whole decode steps, which takes hours on a real model,
     * so a user asks for it explicitly.
     */
    public static final Set<FlowStep> DEFAULT = EnumSet.of(CSIM, CSYNTH, EXPORT);

    private final String tclName;

    FlowStep(String tclName) {
        this.tclName = tclName;
    }

    /** The word on the vitis_hls -tclargs command line. */
    public String tclName() {
        return tclName;
    }

    public static List<String> tclNames(Set<FlowStep> steps) {
        return steps.stream().sorted().map(FlowStep::tclName).toList();
    }
}
