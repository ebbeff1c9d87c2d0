package dev.bitweave.cli;

import dev.bitweave.runtime.BadInputException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Entry point of ./bitweave. Exit codes: 0 ok, 1 failure, 2 bad input (a one-line message naming
 * the input; no stack trace unless BITWEAVE_DEBUG is set).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; output goes to the given byte streams (generated text is raw bytes, as run.c prints it). */
    public static int run(String[] args, PrintStream outStream, PrintStream errStream) {
        PrintWriter out = new PrintWriter(outStream, true);
        PrintWriter err = new PrintWriter(errStream, true);
        CommandLine cl = new CommandLine(new BitweaveCommand(outStream, errStream));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean debug = System.getenv("BITWEAVE_DEBUG") != null;
            if (ex instanceof BadInputException) {
                err.println("bitweave: error: " + ex.getMessage());
                if (debug) ex.printStackTrace(err);
                return BAD_INPUT;
            }
            err.println("bitweave: failed: " + ex);
            if (debug) ex.printStackTrace(err);
            else err.println("(set BITWEAVE_DEBUG=1 for the stack trace)");
            return FAILURE;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("bitweave: error: " + ex.getMessage());
            err.println("see: bitweave " + ex.getCommandLine().getCommandName() + " --help");
            return BAD_INPUT;
        });
        return cl.execute(args);
    }
}
