package dev.bitweave.runtime.board;

import java.io.IOException;

/** The simulated board could not be built: a missing tool, bad RTL, a compiler error. */
public final class SimBuildException extends IOException {
    private static final long serialVersionUID = 1L;

    public SimBuildException(String message) {
        super(message);
    }

    public SimBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
