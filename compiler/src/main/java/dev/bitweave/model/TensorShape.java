package dev.bitweave.model;

/** A named row-major matrix [rows, cols]; vectors have one row. */
public record TensorShape(String name, int rows, int cols) {
    public long elements() {
        return (long) rows * cols;
    }
}
