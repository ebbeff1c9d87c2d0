package dev.bitweave.runtime;

import java.nio.file.Path;

/**
 * Something a user gave us (a file, a flag, a prompt) is wrong. The CLI prints the message
 * on one line and exits with status 2, without a stack trace, so the message must say which
 * input, where in it (byte offset or JSON path) and what was expected.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "FILE: at offset N: problem" */
    public static BadInputException atOffset(Path file, long offset, String problem) {
        return new BadInputException(file + ": at offset " + offset + ": " + problem);
    }

    /** "FILE: problem" */
    public static BadInputException inFile(Path file, String problem) {
        return new BadInputException(file + ": " + problem);
    }
}
