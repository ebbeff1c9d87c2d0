package dev.bitweave.runtime.api;

/** A second session was asked of a board that already runs one; close the first. */
public final class BoardBusyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BoardBusyException(String message) {
        super(message);
    }
}
