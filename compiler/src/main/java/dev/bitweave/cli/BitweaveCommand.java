package dev.bitweave.cli;

import picocli.CommandLine.Command;

@Command(name = "bitweave", mixinStandardHelpOptions = true, version = "bitweave 0.1.0",
        description = "Quantize Llama-family checkpoints and run them bit-exactly on FPGA backends.",
        subcommands = {DemoCommand.class, QuantizeCommand.class, RunCommand.class, EvalCommand.class, CompileCommand.class, CosimCommand.class, CsimCommand.class,
                BenchCommand.class, ServeCommand.class,
                BoardsCommand.class})
public final class BitweaveCommand implements Runnable {
    /** Where commands print results (stdout) and progress/statistics (stderr). */
    final java.io.PrintStream out;
    final java.io.PrintStream err;

    BitweaveCommand(java.io.PrintStream out, java.io.PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
