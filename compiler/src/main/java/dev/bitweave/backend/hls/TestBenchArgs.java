package dev.bitweave.backend.hls;

import java.util.List;

/**
 * The command line of the C test bench for greedy decoding,
 * {@code bitweave_tb <build_dir> <out_prefix> --greedy <n_tokens>}: it writes
 * {@code <out_prefix>.logits} and {@code <out_prefix>.ids} (bitweave_tb.cpp also takes given
 * tokens). The only place that knows its order: run_hls.tcl passes {@link #argv()} to csim_design
 * and cosim_design, the README's g++ line is built from it, and {@code ./bitweave csim} runs it.
 *
 * @param buildDir  the build directory (weights.img, program.img, manifest.json)
 * @param outPrefix where the logits and ids go
 * @param tokens    how many decode steps to run
 */
public record TestBenchArgs(String buildDir, String outPrefix, String tokens) {
    /**
     * Few tokens by default: C simulation runs the whole decoder per token, and RTL co-simulation
     * of even one token takes long on a real model.
     */
    public static final int DEFAULT_TOKENS = 2;
    /** Written next to the scripts, in hls/. */
    public static final String DEFAULT_PREFIX = "tb_out";

    public List<String> argv() {
        return List.of(buildDir, outPrefix, "--greedy", tokens);
    }
}
