package dev.bitweave.cli;

import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.CompiledBuild;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.serve.CompletionServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a build on a board over HTTP (JDK http server), bound to 127.0.0.1 by default.",
                "  POST /v1/completions {\"prompt\", \"n\", \"temperature\", \"topp\", \"seed\", \"stop\", \"stream\"}:",
                "       server-sent events (one per token, then the statistics, then [DONE]), or JSON with \"stream\": false",
                "  GET /health",
                "One request runs at a time; --queue more wait; beyond that 429. 400 for a bad body, 503 once the board failed.",
                "Prints the URL (with the bound port: --port 0 picks a free one) on stdout; stops on SIGINT/SIGTERM."})
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUILD_DIR", description = "a compiled build (./bitweave compile)")
    Path build;

    @Option(names = "--port", required = true, paramLabel = "N", description = "TCP port; 0 = any free port (printed)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "address to bind (default ${DEFAULT-VALUE}; anything else exposes the board to the network)")
    String host;

    @Option(names = "--queue", defaultValue = "" + CompletionServer.DEFAULT_QUEUE, paramLabel = "Q",
            description = "requests that may wait while one runs (default ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "llama2.c tokenizer.bin (default: the build's plan/tokenizer.bin)")
    Path tokenizer;

    @Option(names = "--driver", paramLabel = "sim|xrt|zynq", defaultValue = "sim", description = "board driver (default ${DEFAULT-VALUE})")
    String driver;

    @Option(names = "--driver-config", paramLabel = "KEY=VALUE;...", defaultValue = "", description = "the driver's config string")
    String driverConfig;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "200000000",
            description = "sim: a decode step that runs longer ends that request with an error (default ${DEFAULT-VALUE})")
    long maxCycles;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new BadInputException("--port " + port + " is outside 0..65535");
        if (queue < 0 || queue > 1024) throw new BadInputException("--queue " + queue + " is outside 0..1024");
        if (maxCycles <= 0) throw new BadInputException("--max-cycles must be positive, got " + maxCycles);
        if (!BuildDirectory.looksLikeBuild(build)) {
            throw BadInputException.inFile(build, "is not a build directory (no manifest.json); serve runs the output of ./bitweave compile");
        }
        Drivers.Kind kind = Drivers.Kind.parse(driver);
        CompiledBuild.open(build);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) throw new BadInputException("--host " + host + ": cannot resolve it");
        CompletionServer.Bound bound = CompletionServer.bind(address);
        ProgressLine progress = new ProgressLine(parent.err, "loading images");
        BoardOptions options = BoardOptions.of(kind, driverConfig).withMaxCycles(maxCycles).withLog(parent.err)
                .withTokenizer(tokenizer).withProgress(progress::bytes);
        try (bound; Accelerator acc = Accelerator.open(build, options)) {
            progress.done();
            if (acc.tokenizer().isEmpty()) {
                throw new BadInputException("missing tokenizer: build " + build + " has no plan/tokenizer.bin; pass --tokenizer FILE");
            }
            CountDownLatch stopped = new CountDownLatch(1);
            try (CompletionServer server = bound.serve(acc, queue)) {
                Thread hook = new Thread(() -> {
                    server.close();
                    stopped.countDown();
                }, "bitweave-serve-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                InetSocketAddress at = server.address();
                parent.err.printf("serving %s on http://%s:%d/ (POST /v1/completions, GET /health; 1 running, %d waiting at most)%n",
                        acc, at.getHostString(), at.getPort(), queue);
                parent.out.printf("http://%s:%d/%n", at.getHostString(), at.getPort());
                parent.out.flush();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    // stopped by the embedding program (tests): close as on a signal
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                parent.err.printf("serve: stopped after %d completions%n", server.served());
            }
        }
        return Main.OK;
    }
}
