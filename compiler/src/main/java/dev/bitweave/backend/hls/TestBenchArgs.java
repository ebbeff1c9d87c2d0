package dev.bitweave.backend.hls;

import java.util.List;

/**
 * The command line of the C test bench, {@code bitweave_tb <build_dir> <n_tokens> <logits_out>}.
 * The only place that knows its order: run_hls.tcl passes {@link #argv()} to csim_design and
 * cosim_design, and the README's g++ line is built from it too.
 *
 * @param buildDir  the build directory (weights.img, program.img, manifest.json)
 * @param tokens    how many decode steps to run
 * @param logitsOut file the test bench writes the logits to
 */
public record TestBenchArgs(String buildDir, String tokens, String logitsOut) {
    /**
     * Few tokens by default: C simulation runs the whole decoder per token, and RTL co-simulation
     * of even one token takes long on a real model.
     */
    public static final int DEFAULT_TOKENS = 2;
    /** Written next to the scripts, in hls/. */
    public static final String DEFAULT_LOGITS = "tb_logits.bin";

    public List<String> argv() {
        return List.of(buildDir, tokens, logitsOut);
    }
}
