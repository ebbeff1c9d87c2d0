package dev.bitweave.cli;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.CompiledBuild;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.text.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * `run BUILD --backend sim --driver sim|xrt|zynq`: the build on a board through the host API
 * (dev.bitweave.runtime.api), with run.c's loop (no stop at EOS), text or "POS NEXT" lines as they
 * are produced, and the cycle statistics line.
 */
final class BoardRun {
    private BoardRun() {
    }

    static int run(Path dir, String board, Drivers.Kind driver, String config, long maxCycles, SamplingOptions sampling,
                   boolean ids, PrintStream out, PrintStream err) throws IOException {
        CompiledBuild build = CompiledBuild.open(dir);
        String builtFor = build.manifest().boardName();
        if (board != null && !board.equals(builtFor)) {
            throw BadInputException.inFile(dir, "is built for " + builtFor + ", not " + board + " (compile the plan with --board "
                    + board + ")");
        }
        BoardOptions options = BoardOptions.of(driver, config).withMaxCycles(maxCycles).withLog(err)
                .withTokenizer(sampling.tokenizer);
        if (build.tokenizer().isEmpty() && sampling.tokenizer == null) {
            throw new BadInputException("missing tokenizer: build " + dir + " has no vocabulary of its own; pass --tokenizer FILE "
                    + "(llama2.c tokenizer.bin)");
        }
        SessionOptions so = new SessionOptions(sampling.temperature, sampling.topp, sampling.seedOrTime(), sampling.steps, false,
                Optional.empty());
        long cycles = 0;
        long roof = 0;
        int tokens = 0;
        int lastPos = 0;
        long start;
        try (Accelerator acc = Accelerator.open(dir, options);
             Session s = acc.session(Prompt.text(sampling.prompt), so)) {
            start = System.nanoTime();
            while (s.hasNext()) {
                GeneratedToken t = s.next();
                if (ids) {
                    out.println(t.pos() + " " + t.id());
                } else {
                    byte[] text = Tokenizer.printable(t.piece());
                    out.write(text, 0, text.length);
                }
                out.flush();
                cycles += t.stats().cycles();
                roof += t.stats().rooflineCycles();
                tokens++;
                lastPos = t.pos();
            }
            if (!ids) out.println();
            out.flush();
            double secs = (System.nanoTime() - start) / 1e9;
            err.printf("%s: %d steps, %.1f tok/s%n", acc, s.positions(), s.positions() / secs);
        }
        if (tokens > 0) {
            double perToken = cycles / (double) tokens;
            double clockMHz = build.manifest().kernelClockMHz();
            err.printf("%s: %d tokens, %.0f cycles per token (positions 0..%d), %.3f of the memory roofline; "
                            + "projected %.1f tokens/s at %.0f MHz (a projection: assumes the design closes timing at that clock)%n",
                    driver.id(), tokens, perToken, lastPos, roof / (double) cycles, clockMHz * 1e6 / perToken, clockMHz);
        }
        return Main.OK;
    }
}
