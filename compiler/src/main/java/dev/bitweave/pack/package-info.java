/**
 * The memory images of a hardware build, exactly as docs/hardware.md lays them out, and the model
 * that reads them back.
 *
 * <ul>
 *   <li>{@link dev.bitweave.pack.BuildImages}: the entry point; plan + board to weights.img,
 *       program.img, the region map and the manifest.</li>
 *   <li>{@link dev.bitweave.pack.Compatibility}: what this version's hardware refuses, by tensor.</li>
 *   <li>{@link dev.bitweave.pack.HardwareParams}, {@link dev.bitweave.pack.LinearLayout}: BUS, MODES,
 *       MAX_COLS, SCALE_BITS; per tensor C_b, R, E_row, w_s, N, S and the roofline.</li>
 *   <li>{@link dev.bitweave.pack.WeightImagePacker}: where every code (3-bit codes as a lo and a
 *       hi bit plane) and every scale entry lands in its beat.</li>
 *   <li>{@link dev.bitweave.pack.ProgramImage}, {@link dev.bitweave.pack.ActivationBlock}: the layer
 *       program and the vectors exchanged through memory.</li>
 *   <li>{@link dev.bitweave.pack.PackedLinearReference}: a LINEAR computed from those bytes as the
 *       datapath computes it; the oracle for the packer, the RTL and the simulated board.</li>
 *   <li>{@link dev.bitweave.pack.Manifest}, {@link dev.bitweave.pack.ManifestJson},
 *       {@link dev.bitweave.pack.MemoryMap}, {@link dev.bitweave.pack.CycleEstimate}: manifest.json
 *       (docs/manifest.md).</li>
 * </ul>
 */
package dev.bitweave.pack;
