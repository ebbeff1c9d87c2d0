package dev.bitweave.runtime.board;

/** The non-success return codes of the board ABI (bitweave_board.h), plus one for codes it does not define. */
public enum BoardError {
    /** BW_TIMEOUT: bw_wait reached its limit; not a failure of the board. */
    TIMEOUT(1),
    ARGUMENT(-1),
    CONFIG(-2),
    RANGE(-3),
    BUS(-4),
    DEVICE(-5),
    IO(-6),
    UNSUPPORTED(-7),
    NO_MEMORY(-8),
    /** A code this runtime does not know: a newer driver. */
    UNKNOWN(Integer.MIN_VALUE);

    private final int code;

    BoardError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BoardError of(int code) {
        for (BoardError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return UNKNOWN;
    }
}
