package dev.bitweave.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.CompiledBuild;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.LoadStats;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import dev.bitweave.runtime.api.SessionStats;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.text.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * `run BUILD --backend sim --driver sim|xrt|zynq`: the build on a board through the host API
 * (dev.bitweave.runtime.api), with run.c's loop (no stop at EOS): a progress line on stderr while
 * the images load, text or "POS NEXT" lines on stdout as they are produced, and the statistics
 * line on stderr; with --json, one JSON record on stdout instead of the text.
 */
final class BoardRun {
    private BoardRun() {
    }

    static int run(Path dir, String board, Drivers.Kind driver, String config, long maxCycles, SamplingOptions sampling,
                   boolean ids, boolean json, PrintStream out, PrintStream err) throws IOException {
        if (ids && json) throw new BadInputException("--ids and --json exclude each other (the JSON record holds the ids)");
        CompiledBuild build = CompiledBuild.open(dir);
        String builtFor = build.manifest().boardName();
        if (board != null && !board.equals(builtFor)) {
            throw BadInputException.inFile(dir, "is built for " + builtFor + ", not " + board + " (compile the plan with --board "
                    + board + ")");
        }
        if (build.tokenizer().isEmpty() && sampling.tokenizer == null) {
            throw new BadInputException("missing tokenizer: build " + dir + " has no vocabulary of its own; pass --tokenizer FILE "
                    + "(llama2.c tokenizer.bin)");
        }
        ProgressLine progress = new ProgressLine(err, "loading images");
        BoardOptions options = BoardOptions.of(driver, config).withMaxCycles(maxCycles).withLog(err)
                .withTokenizer(sampling.tokenizer).withProgress(progress::bytes);
        long seed = sampling.seedOrTime();
        SessionOptions so = new SessionOptions(sampling.temperature, sampling.topp, seed, sampling.steps, false, Optional.empty());
        SessionStats stats = new SessionStats();
        List<Map<String, Object>> tokens = new ArrayList<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        double clockMHz = build.manifest().kernelClockMHz();
        int lastPos = 0;
        String stopReason;
        LoadStats load;
        try (Accelerator acc = Accelerator.open(dir, options)) {
            progress.done();
            load = acc.loadStats();
            err.printf("loaded %d bytes: written at %.1f MB/s, read back and CRC-checked at %.1f MB/s%n", load.bytes(),
                    load.writeMBps(), load.verifyMBps());
            long start = System.nanoTime();
            try (Session s = acc.session(Prompt.text(sampling.prompt), so)) {
                while (s.hasNext()) {
                    GeneratedToken t = s.next();
                    byte[] piece = Tokenizer.printable(t.piece());
                    if (json) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("pos", t.pos());
                        m.put("id", t.id());
                        m.put("piece", t.text());
                        m.put("prompt", t.fromPrompt());
                        tokens.add(m);
                        text.write(piece, 0, piece.length);
                    } else if (ids) {
                        out.println(t.pos() + " " + t.id());
                        out.flush();
                    } else {
                        out.write(piece, 0, piece.length);
                        out.flush();
                    }
                    stats.add(t.stats());
                    lastPos = t.pos();
                }
                stopReason = String.valueOf(s.stopReason());
                double secs = (System.nanoTime() - start) / 1e9;
                if (!ids && !json) out.println();
                out.flush();
                err.printf("%s: %d steps, %.1f tok/s%n", acc, s.positions(), s.positions() / secs);
            }
        }
        if (stats.tokens() > 0 && driver == Drivers.Kind.CSIM) {
            err.printf("csim: %d tokens through the HLS kernel in C simulation (no cycle counts); host %.3f ms per token, board %.3f ms per token (wall clock)%n",
                    stats.tokens(), stats.hostMsPerToken(), stats.boardMsPerToken());
        } else if (stats.tokens() > 0) {
            err.printf("%s: %d tokens, %.0f cycles per token (positions 0..%d), %.3f of the memory roofline; "
                            + "projected %.1f tokens/s at %.0f MHz (a projection: assumes the design closes timing at that clock); "
                            + "host %.3f ms per token, board %.3f ms per token (wall clock)%n",
                    driver.id(), stats.tokens(), stats.cyclesPerToken(), lastPos, stats.rooflineFraction(),
                    stats.projectedTokensPerSecond(clockMHz), clockMHz, stats.hostMsPerToken(), stats.boardMsPerToken());
        }
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("build", dir.toString());
            r.put("driver", driver.id());
            r.put("board", builtFor);
            r.put("prompt", sampling.prompt);
            r.put("temperature", sampling.temperature);
            r.put("topp", sampling.topp);
            r.put("seed", seed);
            r.put("steps", sampling.steps);
            r.put("stop_reason", stopReason);
            r.put("text", text.toString(StandardCharsets.UTF_8));
            r.put("tokens", tokens);
            r.put("stats", stats.toMap(clockMHz, load));
            out.println(new ObjectMapper().writeValueAsString(r));
            out.flush();
        }
        return Main.OK;
    }
}
