package dev.bitweave.runtime.api;

/**
 * An image read back from board memory does not have the CRC-32 manifest.json records: the
 * board's memory or the transfer is faulty. No token runs on such a board.
 */
public final class ImageCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageCheckException(String message) {
        super(message);
    }
}
