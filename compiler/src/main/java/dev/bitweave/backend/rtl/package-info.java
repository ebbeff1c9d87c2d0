/**
 * The checks and reports around generated Verilog: lint, synthesis, fit and resource report.
 *
 * <ul>
 *   <li>{@link dev.bitweave.backend.rtl.VerilogLint} runs {@code verilator --lint-only -Wall}
 *       and parses its warnings into {@link dev.bitweave.backend.rtl.LintMessage}s; generated
 *       RTL must come out clean.</li>
 *   <li>{@link dev.bitweave.backend.rtl.YosysSynthesis} synthesizes the sources with Yosys for
 *       a board's family ({@code synth_xilinx -family xcup|xc7}, {@code synth_ice40 -dsp}),
 *       with top-level parameters overridden (e.g. {@code BUS}), and counts the mapped cells
 *       into a {@link dev.bitweave.backend.rtl.ResourceUsage}. Results are cached by the SHA-256
 *       of sources, script and Yosys version under {@code $BITWEAVE_CACHE/synth} (default
 *       {@code ~/.cache/bitweave/synth}).</li>
 *   <li>{@link dev.bitweave.backend.rtl.FitCheck} compares the usage with a
 *       {@link dev.bitweave.board.Board}'s budget and names every resource over it.</li>
 *   <li>{@link dev.bitweave.backend.rtl.ResourceReport} renders a fit check as a markdown table
 *       and a dependency-free, deterministic SVG bar chart for the build report.</li>
 * </ul>
 *
 * <p>The tools are the Debian packages {@code verilator} (5.006) and {@code yosys} (0.23);
 * {@code scripts/ensure-tools.sh} installs them. A missing or failing tool is a
 * {@link dev.bitweave.backend.rtl.RtlToolException} that says how to install it or where its log is.
 *
 * <p>Yosys 0.23 behaviour worth knowing when writing the RTL (measured by this package's tests):
 * on Xilinx it maps every signed multiply with a product of 9 bits or more to a DSP, even
 * 2 x 8 bits, so low-bit weight products written as {@code *} cost one DSP per lane; written
 * as a select ({@code -2x, -x, 0, x}) they stay in LUTs. On iCE40, {@code -dsp} uses SB_MAC16
 * only for products of 11 bits or more.
 */
package dev.bitweave.backend.rtl;
