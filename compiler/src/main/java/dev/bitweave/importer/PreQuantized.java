package dev.bitweave.importer;

/**
 * A tensor stored in a llama.cpp block format that maps exactly onto a plan format:
 * Q8_0 (value = d * q, q signed int8) and Q4_0 (value = d * (q - 8), q an unsigned nibble),
 * both with one fp16 scale d per block of 32 consecutive elements of a row.
 *
 * @param kind       "Q8_0" or "Q4_0"
 * @param rows       output features
 * @param cols       input features (a multiple of blockSize)
 * @param blockSize  32
 * @param fp16Scales one IEEE half per block, row-major block order
 * @param codes      one byte per element: Q8_0 signed, Q4_0 unsigned 0..15
 */
public record PreQuantized(String kind, int rows, int cols, int blockSize, short[] fp16Scales, byte[] codes) {
}
