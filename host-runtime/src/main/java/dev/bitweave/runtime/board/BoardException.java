package dev.bitweave.runtime.board;

/**
 * A board call failed. The message is the driver's last_error text, which names what failed
 * and where (address, register, cycle). Unchecked: every board call can fail the same few ways,
 * and the callers (decoders behind functional interfaces) could not declare it anyway; a
 * caller that can recover catches {@link BoardTimeoutException} or tests {@link #error()}.
 */
public class BoardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final BoardError error;
    private final int code;

    public BoardException(BoardError error, String message) {
        this(error, error.code(), message);
    }

    /** For a code outside {@link BoardError}: error is UNKNOWN, code keeps the value. */
    public BoardException(BoardError error, int code, String message) {
        super(message);
        this.error = error;
        this.code = code;
    }

    public BoardError error() {
        return error;
    }

    /** The raw ABI return code. */
    public int code() {
        return code;
    }
}
