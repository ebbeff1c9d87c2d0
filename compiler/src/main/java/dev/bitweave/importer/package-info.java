/**
 * Checkpoint import: every trained-model format becomes a {@link dev.bitweave.importer.Checkpoint}
 * with the canonical tensor names of {@link dev.bitweave.model.TensorName}, llama2.c's orientation
 * (row-major [out, in]) and llama2.c's Q/K row order, read one tensor at a time.
 *
 * <ul>
 *   <li>{@link dev.bitweave.importer.CheckpointOpener} picks the reader by content (GGUF magic, else llama2.c).</li>
 *   <li>{@link dev.bitweave.importer.Llama2cCheckpoint}: llama2.c legacy fp32 files.</li>
 *   <li>{@link dev.bitweave.importer.GgufCheckpoint}: llama.cpp GGUF (F32, F16, BF16, Q8_0, Q4_0); Q8_0 and
 *       Q4_0 tensors are also offered as {@link dev.bitweave.importer.PreQuantized} blocks, and the
 *       embedded SentencePiece vocabulary is spelled as llama2.c's tokenizer.bin spells it.</li>
 *   <li>{@link dev.bitweave.importer.SyntheticCheckpoint}: seeded weights in real Llama shapes, for benchmarks.</li>
 *   <li>{@link dev.bitweave.importer.Llama2cWriter}: any checkpoint back out as a llama2.c file.</li>
 * </ul>
 *
 * <p>Problems with a file are {@link dev.bitweave.runtime.BadInputException}s naming the file, the
 * byte offset and what was expected; I/O failures stay {@link java.io.IOException}s.
 */
package dev.bitweave.importer;
