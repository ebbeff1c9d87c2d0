package dev.bitweave.backend.hls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a generated tcl script in the real tclsh with every vendor command replaced by a stub that
 * records its arguments. Tcl itself parses and evaluates the script (quoting, brackets, lists,
 * control flow); any command that is neither Tcl's nor in {@code vendorCommands} reaches tcl's
 * {@code unknown} and fails the run, so a typo or an invented Vivado command cannot pass.
 */
final class StubTcl {
    /** One recorded vendor command. */
    record Call(String command, List<String> args) {
        /** The word after {@code option}, e.g. value("-period"). */
        String value(String option) {
            int i = args.indexOf(option);
            if (i < 0 || i + 1 >= args.size()) fail(command + " has no " + option + ": " + args);
            return args.get(i + 1);
        }

        boolean has(String word) {
            return args.contains(word);
        }

        String last() {
            return args.get(args.size() - 1);
        }
    }

    private static final String HARNESS = """
            set bw_calls {}
            proc bw_record {cmd argl} { lappend ::bw_calls [list $cmd {*}$argl] }
            proc bw_result {cmd argl} {
                switch -- $cmd {
                    get_ipdefs {
                        if {[regexp {NAME == (\\S+)} [lindex $argl end] -> name]} { return [list xilinx.com:ip:$name:1.0] }
                        return {}
                    }
                    create_bd_cell - get_bd_cells - get_bd_pins - get_bd_intf_pins - get_files { return [lindex $argl end] }
                    current_project { return stub_project }
                    current_fileset { return sources_1 }
                    make_wrapper { return stub_wrapper.v }
                    default { return {} }
                }
            }
            foreach bw_cmd $bw_vendor_commands {
                proc $bw_cmd {args} [format {bw_record %s $args; return [bw_result %s $args]} $bw_cmd $bw_cmd]
            }
            rename exit bw_real_exit
            proc exit {args} { error bw_script_exit }
            proc unknown {args} {
                puts stderr "UNKNOWN COMMAND [lindex $args 0]"
                bw_real_exit 3
            }
            set argv $bw_argv
            set argc [llength $argv]
            if {[catch {source $bw_script} msg] && $msg ne "bw_script_exit"} {
                puts stderr "SCRIPT ERROR $msg"
                bw_real_exit 2
            }
            foreach call $bw_calls {
                puts CALL
                foreach word $call { puts "ARG [string map [list \\\\ \\\\\\\\ \\n \\\\n] $word]" }
            }
            bw_real_exit 0
            """;

    private StubTcl() {
    }

    /** How tclsh ended: its exit code (0 ok, 2 script error, 3 unknown command), stderr, and the calls. */
    record Outcome(int exitCode, String stderr, List<Call> calls) {
    }

    /** The vendor calls the script makes with {@code argv}, in order; fails on any tcl error or unknown command. */
    static List<Call> run(Path script, Set<String> vendorCommands, List<String> argv, Path workDir) throws IOException, InterruptedException {
        Outcome o = execute(script, vendorCommands, argv, workDir);
        if (o.exitCode() != 0) fail("tclsh " + script.getFileName() + " failed (exit " + o.exitCode() + "): " + o.stderr());
        return o.calls();
    }

    static Outcome execute(Path script, Set<String> vendorCommands, List<String> argv, Path workDir) throws IOException, InterruptedException {
        Path harness = Files.createTempFile(workDir, "harness", ".tcl");
        String prelude = "set bw_vendor_commands {" + String.join(" ", vendorCommands) + "}\n"
                + "set bw_script {" + script.toAbsolutePath() + "}\n"
                + "set bw_argv {" + String.join(" ", argv) + "}\n";
        Files.writeString(harness, prelude + HARNESS);
        Process p = new ProcessBuilder("tclsh", harness.toString()).directory(workDir.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tclsh did not finish within 30 s on " + script);
        }
        return new Outcome(p.exitValue(), new String(err, StandardCharsets.UTF_8), parse(new String(out, StandardCharsets.UTF_8)));
    }

    private static List<Call> parse(String out) {
        List<Call> calls = new ArrayList<>();
        List<String> words = null;
        for (String line : out.split("\n", -1)) {
            if (line.equals("CALL")) {
                if (words != null) calls.add(new Call(words.get(0), List.copyOf(words.subList(1, words.size()))));
                words = new ArrayList<>();
            } else if (line.startsWith("ARG ")) {
                words.add(unescape(line.substring(4)));
            }
        }
        if (words != null) calls.add(new Call(words.get(0), List.copyOf(words.subList(1, words.size()))));
        return calls;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Calls of one command. */
    static List<Call> of(List<Call> calls, String command) {
        return calls.stream().filter(c -> c.command().equals(command)).collect(Collectors.toList());
    }

    /** The single call of a command; fails when there are none or several. */
    static Call only(List<Call> calls, String command) {
        List<Call> found = of(calls, command);
        if (found.size() != 1) fail("expected one " + command + ", got " + found.size() + ": " + found);
        return found.get(0);
    }
}
