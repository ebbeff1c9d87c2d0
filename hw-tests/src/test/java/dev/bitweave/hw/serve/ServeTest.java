package dev.bitweave.hw.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.cli.Cli;
import dev.bitweave.cli.Main;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import dev.bitweave.runtime.generate.Generator;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.serve.CompletionServer;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `serve` on the simulated board with a real stories260K build: the same prompt and seed give the
 * same tokens through the Java API, `run`, the HTTP endpoint (streamed and not) and the integer
 * reference; a burst beyond the queue gets 429, bad bodies 400 naming the field, a closed board
 * 503; the CLI prints its URL, serves, and stops cleanly.
 */
class ServeTest {
    private static final String PROMPT = "Once upon a time";
    private static final int STEPS = 24;
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Path build;
    private static Tokenizer tokenizer;
    private static Accelerator acc;
    private static CompletionServer server;
    private static URI base;

    @BeforeAll
    static void start() throws IOException {
        build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        tokenizer = new Tokenizer(TokenizerFile.read(SharedModels.tok512(), 512));
        acc = Accelerator.open(build, options());
        server = CompletionServer.start(acc, new InetSocketAddress("127.0.0.1", 0), 1);
        base = URI.create("http://127.0.0.1:" + server.address().getPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (acc != null) acc.close();
    }

    private static BoardOptions options() {
        return BoardOptions.sim().withTokenizer(SharedModels.tok512()).withLog(QUIET);
    }

    static HttpResponse<String> post(URI base, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve("/v1/completions")).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static CompletableFuture<HttpResponse<String>> postAsync(URI base, String body) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/completions")).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> health(URI base) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve("/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(float t, float p, long seed, int n, boolean stream) {
        return String.format("{\"prompt\": \"%s\", \"n\": %d, \"temperature\": %s, \"topp\": %s, \"seed\": %d, \"stream\": %s}",
                PROMPT, n, t, p, seed, stream);
    }

    /** The data lines of a server-sent event stream, the final "[DONE]" checked and dropped. */
    static List<JsonNode> events(String sse) throws IOException {
        List<String> data = new ArrayList<>();
        for (String ev : sse.split("\n\n")) {
            assertTrue(ev.startsWith("data: "), "event: " + ev);
            data.add(ev.substring(6));
        }
        assertEquals("[DONE]", data.get(data.size() - 1), sse);
        List<JsonNode> out = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) out.add(JSON.readTree(d));
        return out;
    }

    private static List<String> reference(float temperature, float topp, long seed, int steps) throws IOException {
        IntegerTransformer ref = new IntegerTransformer(BuildDirectory.open(build).plan());
        List<String> lines = new ArrayList<>();
        new Generator(ref, tokenizer, new Sampler(512, temperature, topp, seed)).generate(PROMPT, steps, s -> lines.add(s.idsLine()));
        return lines;
    }

    private static List<String> lines(Iterable<JsonNode> tokens) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : tokens) out.add(t.get("pos").asInt() + " " + t.get("token").asInt());
        return out;
    }

    @Test
    void sameTokensThroughTheApiTheCliTheEndpointAndTheReference() throws Exception {
        for (Object[] c : new Object[][] {{0f, 0.9f, 1L}, {1.0f, 0.9f, 42L}}) {
            float t = (float) c[0];
            float p = (float) c[1];
            long seed = (long) c[2];
            List<String> want = reference(t, p, seed, STEPS);

            // HTTP, streamed: one event per token, then the statistics, then [DONE]
            HttpResponse<String> r = post(base, body(t, p, seed, STEPS, true));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            List<JsonNode> ev = events(r.body());
            JsonNode last = ev.get(ev.size() - 1);
            assertTrue(last.get("done").asBoolean(), last.toString());
            assertEquals("STEPS", last.get("stop_reason").asText());
            assertEquals(STEPS, last.get("stats").get("tokens").asInt());
            assertTrue(last.get("stats").get("cycles_per_token").asDouble() > 1000, last.toString());
            assertEquals(want, lines(ev.subList(0, ev.size() - 1)), "streamed tokens, t=" + t + " seed " + seed);

            // HTTP, one JSON response
            HttpResponse<String> plain = post(base, body(t, p, seed, STEPS, false));
            assertEquals(200, plain.statusCode(), plain.body());
            JsonNode j = JSON.readTree(plain.body());
            assertEquals(want, lines(j.get("tokens")), "JSON tokens");
            String streamedText = ev.subList(0, ev.size() - 1).stream().filter(e -> !e.get("prompt").asBoolean())
                    .map(e -> e.get("piece").asText()).collect(Collectors.joining());
            assertEquals(streamedText, j.get("text").asText());

            // the Java API on a board of its own, and the CLI
            try (Accelerator own = Accelerator.open(build, options());
                 Session s = own.session(Prompt.text(PROMPT), new SessionOptions(t, p, seed, STEPS, true, Optional.empty()))) {
                List<String> api = new ArrayList<>();
                while (s.hasNext()) {
                    GeneratedToken g = s.next();
                    api.add(g.pos() + " " + g.id());
                }
                assertEquals(want, api, "Java API");
            }
            Cli.Result cli = Cli.ok("run", build, "--tokenizer", SharedModels.tok512(), "-n", STEPS, "-i", PROMPT, "-t", t, "-p", p,
                    "-s", seed, "--ids");
            assertEquals(want, cli.outLines(), "run --ids");
        }
    }

    @Test
    void aBurstBeyondTheQueueGets429() throws Exception {
        // A runs (64 positions, several seconds on the simulated board), B waits: the queue (1) is full
        CompletableFuture<HttpResponse<String>> a = postAsync(base, body(0f, 0.9f, 1, 64, true));
        awaitHealth("running", 1);
        CompletableFuture<HttpResponse<String>> b = postAsync(base, body(0f, 0.9f, 1, 3, false));
        awaitHealth("waiting", 1);
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) burst.add(postAsync(base, body(0f, 0.9f, 1, 2, false)));
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            HttpResponse<String> r = f.get();
            assertEquals(429, r.statusCode(), r.body());
            Cli.assertMentions(JSON.readTree(r.body()).get("error").asText(), "busy", "queue limit");
        }
        JsonNode h = JSON.readTree(health(base).body());
        assertEquals(1, h.get("running").asInt(), "A still ran during the burst: " + h);
        assertEquals(1, h.get("waiting").asInt(), h.toString());
        assertEquals(200, a.get().statusCode());
        assertEquals(reference(0f, 0.9f, 1, 64), lines(events(a.get().body()).subList(0, 64)));
        HttpResponse<String> rb = b.get();
        assertEquals(200, rb.statusCode(), rb.body());
        assertEquals(reference(0f, 0.9f, 1, 3), lines(JSON.readTree(rb.body()).get("tokens")));
        // the queue is free again
        assertEquals(200, post(base, body(0f, 0.9f, 1, 2, false)).statusCode());
    }

    private static void awaitHealth(String field, int value) throws Exception {
        awaitHealth(base, field, value);
    }

    private static void awaitHealth(URI base, String field, int value) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        JsonNode h;
        do {
            h = JSON.readTree(health(base).body());
            if (h.get(field).asInt() == value) return;
            Thread.sleep(2);
        } while (System.nanoTime() < until);
        throw new AssertionError(field + " never reached " + value + ": " + h);
    }

    @Test
    void badBodiesGet400NamingTheField() throws Exception {
        String[][] cases = {
                {"{", "not JSON"},
                {"[1]", "expected a JSON object"},
                {"", "the body is empty"},
                {"{\"prompt\": 5}", "$.prompt", "expected a string"},
                {"{\"temperature\": -1}", "$.temperature"},
                {"{\"temperature\": \"hot\"}", "$.temperature", "expected a number"},
                {"{\"topp\": 1.5}", "$.topp"},
                {"{\"n\": 0}", "$.n", "1..512"},
                {"{\"n\": 2.5}", "$.n", "expected an integer"},
                {"{\"seed\": -3}", "$.seed"},
                {"{\"stream\": \"yes\"}", "$.stream"},
                {"{\"stop\": [1]}", "$.stop"},
                {"{\"max_tokens\": 5}", "$.max_tokens", "unknown field"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post(base, c[0]);
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            String msg = JSON.readTree(r.body()).get("error").asText();
            for (int i = 1; i < c.length; i++) Cli.assertMentions(msg, c[i]);
        }
        HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(base.resolve("/v1/completions")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals(404, CLIENT.send(HttpRequest.newBuilder(base.resolve("/v2/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, health(base).statusCode());
    }

    @Test
    void aClosedBoardGets503AndCloseStopsTheServer() throws Exception {
        Accelerator own = Accelerator.open(build, options());
        CompletionServer s = CompletionServer.start(own, new InetSocketAddress("127.0.0.1", 0), 2);
        URI u = URI.create("http://127.0.0.1:" + s.address().getPort());
        try {
            assertEquals(200, post(u, body(0f, 0.9f, 1, 2, false)).statusCode());
            own.close();
            HttpResponse<String> r = post(u, body(0f, 0.9f, 1, 2, false));
            assertEquals(503, r.statusCode(), r.body());
            Cli.assertMentions(JSON.readTree(r.body()).get("error").asText(), "closed");
            HttpResponse<String> h = health(u);
            assertEquals(503, h.statusCode());
            assertEquals("failed", JSON.readTree(h.body()).get("status").asText());
            assertEquals(503, post(u, body(0f, 0.9f, 1, 2, false)).statusCode());
        } finally {
            s.close();
            own.close();
        }
        assertThrows(ConnectException.class, () -> health(u));
    }

    /**
     * A decode step that never finishes during a request (the simulated board's stall_reads fault):
     * that request ends with 500 and the timeout named, the board is soft-reset, /health stays ok,
     * and the next request gets the reference's tokens.
     */
    @Test
    void aStepThatTimesOutFailsItsRequestAndTheNextOneIsServed() throws Exception {
        String config = Accelerator.simConfig(dev.bitweave.runtime.api.CompiledBuild.open(build).manifest()) + ";stall_reads=20000";
        Accelerator own = Accelerator.open(build, BoardOptions.of(dev.bitweave.runtime.board.Drivers.Kind.SIM, config)
                .withTokenizer(SharedModels.tok512()).withLog(QUIET).withMaxCycles(0).withTimeoutMs(3000));
        CompletionServer s = CompletionServer.start(own, new InetSocketAddress("127.0.0.1", 0), 1);
        URI u = URI.create("http://127.0.0.1:" + s.address().getPort());
        try {
            HttpResponse<String> r = post(u, body(0f, 0.9f, 1, 16, false));
            assertEquals(500, r.statusCode(), r.body());
            JsonNode j = JSON.readTree(r.body());
            assertEquals("ERROR", j.get("stop_reason").asText());
            Cli.assertMentions(j.get("error").asText(), "did not finish within 3000 ms", "soft-reset");
            assertEquals(200, health(u).statusCode());
            own.stepLimits(BoardOptions.DEFAULT_MAX_CYCLES, BoardOptions.DEFAULT_TIMEOUT_MS);
            HttpResponse<String> next = post(u, body(0f, 0.9f, 1, 8, false));
            assertEquals(200, next.statusCode(), next.body());
            assertEquals(reference(0f, 0.9f, 1, 8), lines(JSON.readTree(next.body()).get("tokens")));
        } finally {
            s.close();
            own.close();
        }
    }

    /** close() while a request streams: its stream ends with CANCELLED and [DONE], the waiting request gets 503, the port closes. */
    @Test
    void closeEndsTheRunningStreamAndAnswersTheWaitingOne() throws Exception {
        try (Accelerator own = Accelerator.open(build, options())) {
            CompletionServer s = CompletionServer.start(own, new InetSocketAddress("127.0.0.1", 0), 2);
            URI u = URI.create("http://127.0.0.1:" + s.address().getPort());
            CompletableFuture<HttpResponse<String>> running = postAsync(u, body(0f, 0.9f, 1, 200, true));
            awaitHealth(u, "running", 1);
            CompletableFuture<HttpResponse<String>> waiting = postAsync(u, body(0f, 0.9f, 1, 2, false));
            awaitHealth(u, "waiting", 1);
            s.close();
            HttpResponse<String> r = running.get();
            assertEquals(200, r.statusCode());
            List<JsonNode> ev = events(r.body());
            JsonNode last = ev.get(ev.size() - 1);
            assertEquals("CANCELLED", last.get("stop_reason").asText(), last.toString());
            assertTrue(ev.size() - 1 < 200, "cancelled before the end: " + (ev.size() - 1) + " tokens");
            assertEquals(reference(0f, 0.9f, 1, ev.size() - 1), lines(ev.subList(0, ev.size() - 1)));
            HttpResponse<String> w = waiting.get();
            assertEquals(503, w.statusCode(), w.body());
            Cli.assertMentions(JSON.readTree(w.body()).get("error").asText(), "shutting down");
            assertThrows(ConnectException.class, () -> health(u));
            // the board is free again for its owner
            try (Session again = own.session(Prompt.text(PROMPT), SessionOptions.greedy(2))) {
                assertTrue(again.hasNext());
            }
        }
    }

    @Test
    void theCliPrintsItsUrlServesAndStops() throws Exception {
        StreamingBuffer out = new StreamingBuffer();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(Main.run(new String[] {"serve", build.toString(), "--port", "0", "--queue", "2",
                "--tokenizer", SharedModels.tok512().toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))), "serve-cli");
        t.start();
        String url = out.awaitLine(120_000);
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/"), url + "\n" + err);
        URI u = URI.create(url);
        assertEquals(200, health(u).statusCode());
        HttpResponse<String> r = post(u, body(0f, 0.9f, 1, 6, false));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(reference(0f, 0.9f, 1, 6), lines(JSON.readTree(r.body()).get("tokens")));
        t.interrupt();
        t.join(60_000);
        assertEquals(Main.OK, code.get(), err.toString(StandardCharsets.UTF_8));
        Cli.assertMentions(err.toString(StandardCharsets.UTF_8), "loading images 100%", "serving", "stopped after 1 completions");
        assertThrows(ConnectException.class, () -> health(u));

        Cli.assertMentions(Cli.badInput("serve", build, "--port", "70000"), "--port 70000");
        Cli.assertMentions(Cli.badInput("serve", build, "--port", "0", "--queue", "-1"), "--queue -1");
        Cli.assertMentions(Cli.badInput("serve", Overlays.plan("stories260k-real", "w8a8"), "--port", "0"), "not a build directory");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.assertMentions(Cli.badInput("serve", build, "--port", taken.getLocalPort(), "--tokenizer", SharedModels.tok512()),
                    "cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /** An output stream whose first line can be awaited while the writer keeps running. */
    static final class StreamingBuffer extends java.io.OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            buf.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buf.write(b, off, len);
            notifyAll();
        }

        synchronized String awaitLine(long ms) throws InterruptedException {
            long until = System.currentTimeMillis() + ms;
            while (!buf.toString(StandardCharsets.UTF_8).contains("\n")) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) throw new AssertionError("no line on stdout within " + ms + " ms");
                wait(left);
            }
            return buf.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }
    }
}
