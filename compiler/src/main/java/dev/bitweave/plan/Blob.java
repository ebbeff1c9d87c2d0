package dev.bitweave.plan;

/** A byte range of tensors.bin; offsets are multiples of {@link Plan#ALIGNMENT}. */
public record Blob(long offset, long size) {
}
