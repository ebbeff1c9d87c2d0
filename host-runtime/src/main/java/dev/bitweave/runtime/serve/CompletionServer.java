package dev.bitweave.runtime.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardBusyException;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionStats;
import dev.bitweave.runtime.board.BoardTimeoutException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small HTTP API over one loaded board, on the JDK's {@code com.sun.net.httpserver}.
 *
 * <ul>
 * <li>{@code POST /v1/completions} with a JSON body ({@link CompletionRequest}): by default a
 *     stream of server-sent events, one {@code data: {"pos","token","piece","prompt"}} per token
 *     (prompt tokens too, flagged), then {@code data: {"done":true,"stop_reason",...,"stats"}},
 *     then {@code data: [DONE]}; with {@code "stream": false} one JSON object.</li>
 * <li>{@code GET /health}: {@code {"status":"ok"|"failed"|"closing", "running", "waiting", ...}},
 *     200 when requests are taken, else 503.</li>
 * </ul>
 *
 * The board runs one request at a time; up to {@code queue} more wait (in arrival order). A
 * request beyond that gets 429 at once. A bad body gets 400 naming the field. After a board
 * failure (any error of a step other than a timeout, which soft-resets the board) and while
 * closing, requests get 503. {@link #close()} stops taking requests, cancels the running
 * session (its stream ends with stop_reason CANCELLED), lets waiting requests get their 503 and
 * stops the server; the caller closes the {@link Accelerator}.
 */
public final class CompletionServer implements AutoCloseable {
    public static final int DEFAULT_QUEUE = 4;
    static final int MAX_BODY = 1 << 20;

    private final Accelerator acc;
    private final HttpServer http;
    private final ExecutorService pool;
    private final int queue;
    private final Semaphore admitted;
    private final Semaphore board = new Semaphore(1, true);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicReference<Session> current = new AtomicReference<>();
    private final ObjectMapper json = new ObjectMapper();
    private final double clockMHz;
    private volatile String failure;
    private volatile boolean closing;

    private CompletionServer(Accelerator acc, HttpServer http, int queue) {
        this.acc = acc;
        this.http = http;
        this.queue = queue;
        this.admitted = new Semaphore(1 + queue);
        this.clockMHz = acc.build().manifest().kernelClockMHz();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(queue + 4, r -> {
            Thread t = new Thread(r, "bitweave-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/v1/completions", this::completions);
        http.createContext("/health", this::health);
        http.createContext("/", ex -> send(ex, 404, error("no such endpoint: " + ex.getRequestURI().getPath()
                + " (POST /v1/completions, GET /health)")));
    }

    /**
     * Listens on address (port 0 = any free port; see {@link #address()}) and serves acc.
     *
     * @throws BadInputException when the address cannot be bound (in use, not local, not resolvable)
     */
    public static CompletionServer start(Accelerator acc, InetSocketAddress address, int queue) {
        return bind(address).serve(acc, queue);
    }

    /**
     * Binds the address before a board is loaded, so that a port in use fails at once.
     *
     * @throws BadInputException when the address cannot be bound (in use, not local, not resolvable)
     */
    public static Bound bind(InetSocketAddress address) {
        if (address.isUnresolved()) throw new BadInputException("cannot resolve host " + address.getHostString());
        try {
            return new Bound(HttpServer.create(address, 0));
        } catch (IOException e) {
            throw new BadInputException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage());
        }
    }

    /** A bound address that serves nothing yet; {@link #close()} releases it if {@link #serve} is never called. */
    public static final class Bound implements AutoCloseable {
        private final HttpServer http;
        private boolean served;

        private Bound(HttpServer http) {
            this.http = http;
        }

        public InetSocketAddress address() {
            return http.getAddress();
        }

        /** Starts serving acc with up to queue waiting requests. */
        public synchronized CompletionServer serve(Accelerator acc, int queue) {
            if (queue < 0 || queue > 1024) throw new BadInputException("queue " + queue + " is outside 0..1024");
            if (served) throw new IllegalStateException("already serving");
            served = true;
            CompletionServer s = new CompletionServer(acc, http, queue);
            http.start();
            return s;
        }

        @Override
        public synchronized void close() {
            if (!served) {
                served = true;
                http.stop(0);
            }
        }
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Requests answered with a completion so far. */
    public int served() {
        return served.get();
    }

    private void health(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET");
            send(ex, 405, error("use GET for /health"));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        String status = closing ? "closing" : failure != null ? "failed" : "ok";
        m.put("status", status);
        if (failure != null) m.put("error", failure);
        m.put("board", acc.toString());
        m.put("running", running.get());
        m.put("waiting", waiting.get());
        m.put("queue", queue);
        m.put("served", served.get());
        send(ex, status.equals("ok") ? 200 : 503, m);
    }

    private void completions(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                send(ex, 405, error("use POST for /v1/completions"));
                return;
            }
            String unavailable = unavailable();
            if (unavailable != null) {
                send(ex, 503, error(unavailable));
                return;
            }
            CompletionRequest req;
            try {
                req = CompletionRequest.parse(json, readBody(ex), acc.build().model().seqLen());
            } catch (BadInputException e) {
                send(ex, 400, error(e.getMessage()));
                return;
            }
            if (!admitted.tryAcquire()) {
                send(ex, 429, error("busy: 1 request runs and " + queue + " wait (the queue limit); try again later"));
                return;
            }
            try {
                waiting.incrementAndGet();
                try {
                    board.acquireUninterruptibly();
                } finally {
                    waiting.decrementAndGet();
                }
                try {
                    unavailable = unavailable();
                    if (unavailable != null) {
                        send(ex, 503, error(unavailable));
                        return;
                    }
                    running.incrementAndGet();
                    try {
                        generate(ex, req);
                    } finally {
                        running.decrementAndGet();
                    }
                } finally {
                    board.release();
                }
            } finally {
                admitted.release();
            }
        }
    }

    private String unavailable() {
        if (closing) return "the server is shutting down";
        if (failure != null) return "the board failed and takes no more requests: " + failure;
        return null;
    }

    private void generate(HttpExchange ex, CompletionRequest req) throws IOException {
        Session s;
        try {
            s = acc.session(Prompt.text(req.prompt()), req.sessionOptions());
        } catch (BadInputException e) {
            send(ex, 400, error(e.getMessage()));
            return;
        } catch (BoardBusyException e) { // a session opened outside the server holds the board
            send(ex, 503, error(e.getMessage()));
            return;
        } catch (IllegalStateException e) { // the accelerator was closed under the server
            failure = e.getMessage();
            send(ex, 503, error(e.getMessage()));
            return;
        }
        current.set(s);
        SessionStats stats = new SessionStats();
        List<Map<String, Object>> tokens = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        OutputStream out = null;
        try (s) {
            if (req.stream()) {
                ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
                ex.getResponseHeaders().set("Cache-Control", "no-cache");
                ex.sendResponseHeaders(200, 0);
                out = ex.getResponseBody();
            }
            String err = null;
            try {
                while (s.hasNext()) {
                    GeneratedToken t = s.next();
                    stats.add(t.stats());
                    Map<String, Object> m = token(t);
                    if (!t.fromPrompt()) text.append(t.text());
                    if (out != null) {
                        event(out, m);
                    } else {
                        tokens.add(m);
                    }
                }
            } catch (BoardTimeoutException e) {
                err = e.getMessage(); // the board was soft-reset and takes the next request
            } catch (BadInputException e) {
                err = e.getMessage();
            } catch (RuntimeException e) {
                err = e.getMessage();
                failure = String.valueOf(e.getMessage());
            }
            Map<String, Object> end = new LinkedHashMap<>();
            if (out != null) end.put("done", true);
            end.put("stop_reason", err != null ? "ERROR" : String.valueOf(s.stopReason()));
            if (err != null) end.put("error", err);
            if (out == null) {
                end.put("text", text.toString());
                end.put("tokens", tokens);
            }
            end.put("stats", stats.toMap(clockMHz, null));
            if (err == null) served.incrementAndGet();
            if (out != null) {
                event(out, end);
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } else {
                send(ex, err == null ? 200 : failure != null ? 503 : 500, end);
            }
        } catch (IOException | UncheckedIOException e) {
            s.cancel(); // the client went away: the session ends after the step running
        } finally {
            current.set(null);
        }
    }

    private static Map<String, Object> token(GeneratedToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pos", t.pos());
        m.put("token", t.id());
        m.put("piece", t.text());
        m.put("prompt", t.fromPrompt());
        return m;
    }

    private void event(OutputStream out, Object data) throws IOException {
        out.write(("data: " + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) throw new BadInputException("$: the body is larger than " + MAX_BODY + " bytes");
            return b;
        }
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return m;
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] b = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /**
     * Stops taking requests, cancels the running session and waits (up to 30 s) for its step,
     * answers waiting requests with 503, then stops the server and its threads. Idempotent.
     */
    @Override
    public void close() {
        if (closing && pool.isShutdown()) return;
        closing = true;
        Session s = current.get();
        if (s != null) s.cancel();
        boolean got = false;
        try {
            got = board.tryAcquire(30, TimeUnit.SECONDS);
            // waiting requests are ahead of us in the fair semaphore; wait for their 503s to be sent
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((waiting.get() > 0 || running.get() > 0) && System.nanoTime() < until) Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (got) board.release();
        }
        http.stop(1);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
