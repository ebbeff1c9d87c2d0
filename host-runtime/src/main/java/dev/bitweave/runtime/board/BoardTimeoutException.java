package dev.bitweave.runtime.board;

/**
 * {@link Board#waitDone} reached its cycle or time limit before the kernel raised done. The
 * board is still usable: wait again, or soft-reset it. The message names STATUS and PC.
 */
public final class BoardTimeoutException extends BoardException {
    private static final long serialVersionUID = 1L;

    public BoardTimeoutException(String message) {
        super(BoardError.TIMEOUT, message);
    }
}
