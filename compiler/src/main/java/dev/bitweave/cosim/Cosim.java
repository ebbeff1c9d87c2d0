package dev.bitweave.cosim;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.ManifestJson;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimLibrary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs linear layers of a build on the simulated board, cycle by cycle, and compares every
 * output bit with the Java reference on the same real activations.
 */
public final class Cosim {
    public record LayerResult(String tensor, int rows, int cols, int bits, boolean match, int mismatches, int firstMismatch,
                              long cycles, long rooflineCycles, double efficiency) {
    }

    public record Report(String board, int bus, SimLibrary library, double simSeconds, long simCycles, List<LayerResult> layers) {
        public boolean allMatch() {
            return layers.stream().allMatch(LayerResult::match);
        }
    }

    /** Written into the build directory by every run: per-layer cycles against the roofline. */
    public static final String PLOT = "cosim.svg";

    private final Path build;
    private final PrintStream progress;

    public Cosim(Path build, PrintStream progress) {
        this.build = build;
        this.progress = progress;
    }

    public Report run(Optional<Set<String>> only, Optional<Path> trace) throws IOException {
        BuildDirectory dir = BuildDirectory.open(build);
        Manifest manifest = dir.manifest();
        if (only.isPresent()) {
            for (String name : only.get()) {
                if (manifest.layers().stream().noneMatch(l -> l.name().equals(name))) {
                    throw new BadInputException("--layers: no linear layer '" + name + "' in " + build + " (see manifest.json)");
                }
            }
        }
        QuantizedModel model = dir.plan();
        Board board = dir.board();
        byte[] weights = dir.image(Manifest.WEIGHTS_IMG);
        Map<String, LayerVectors.Vector> vectors = LayerVectors.capture(model, 3);
        SimLibrary lib = SimBoardBuilder.forRtl(build.resolve(BuildCompiler.RTL_DIR)).progress(progress).tracing(trace.isPresent()).build();
        List<LayerResult> results = new ArrayList<>();
        long simNanos = 0;
        long simCycles;
        var config = BoardSession.simConfig(manifest, board);
        if (trace.isPresent()) config = config.withTrace(trace.get());
        try (BoardSession session = new BoardSession(lib, manifest, config, weights)) {
            long c0 = session.cycles();
            for (Manifest.Layer layer : manifest.layers()) {
                if (only.isPresent() && !only.get().contains(layer.name())) continue;
                LayerVectors.Vector v = vectors.get(layer.name());
                long t = System.nanoTime();
                BoardSession.Run run = session.linear(layer, v.input());
                simNanos += System.nanoTime() - t;
                int rows = layer.layout().rows();
                int mismatches = 0;
                int first = -1;
                for (int r = 0; r < rows; r++) {
                    if (run.output()[r] != v.output()[r]) {
                        if (first < 0) first = r;
                        mismatches++;
                    }
                }
                long roof = layer.layout().rooflineCycles();
                LayerResult res = new LayerResult(layer.name(), rows, layer.layout().cols(), layer.layout().bits(), mismatches == 0,
                        mismatches, first, run.linearCycles(), roof, run.linearCycles() == 0 ? 0 : roof / (double) run.linearCycles());
                results.add(res);
                progress.printf("cosim %-20s %s cycles %d roofline %d efficiency %.3f%n", layer.name(),
                        res.match() ? "match" : "MISMATCH(" + mismatches + " rows, first " + first + ")", res.cycles(), roof, res.efficiency());
            }
            simCycles = session.cycles() - c0;
        }
        Report report = new Report(board.name(), manifest.hardware().bus(), lib, simNanos / 1e9, simCycles, results);
        Files.writeString(build.resolve(PLOT), EfficiencyPlot.svg(report));
        return report;
    }
}
