package dev.bitweave.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `--help` works for the top-level command and for every subcommand, present and future. */
class HelpCliTest {

    /** Taken from the command tree itself, so a new subcommand is covered without editing this test. */
    static Stream<String> subcommands() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Set<String> names = new CommandLine(new BitweaveCommand(sink, sink)).getSubcommands().keySet();
        return names.stream();
    }

    @Test
    void theCommandTreeHasTheDocumentedCommands() {
        // guards subcommands() against an empty or broken tree, which would make the test below vacuous
        assertTrue(subcommands().toList().containsAll(java.util.List.of("quantize", "run", "eval", "boards", "demo")),
                subcommands().toList().toString());
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("subcommands")
    void subcommandHelp(String command) {
        Cli.Result r = Cli.ok(command, "--help");
        assertTrue(r.out().startsWith("Usage: bitweave " + command), r::describe);
        assertTrue(r.out().contains("--help"), r::describe);
        assertEquals("", r.stderr(), r::describe);
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Cli.Result r = Cli.ok("--help");
        assertTrue(r.out().startsWith("Usage: bitweave"), r::describe);
        subcommands().forEach(c -> assertTrue(r.out().contains(c), () -> c + " missing\n" + r.describe()));
    }
}
