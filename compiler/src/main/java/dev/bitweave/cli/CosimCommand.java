package dev.bitweave.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bitweave.cosim.Cosim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "cosim", mixinStandardHelpOptions = true,
        description = {"Run the build's linear layers cycle by cycle on the simulated board (Verilator) with test",
                "vectors from the reference model on real activations; compare every output bit; report cycles,",
                "roofline cycles (plan bits / bus bits) and efficiency = roofline / cycles."})
public final class CosimCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUILD_DIR", description = "build directory (./bitweave compile)")
    Path build;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|LIST", description = "comma-separated tensor names (default: all)")
    String layers;

    @Option(names = "--json", description = "print a JSON record")
    boolean json;

    @Option(names = "--trace", paramLabel = "FILE.fst", description = "write an FST waveform")
    Path trace;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        Optional<Set<String>> only = layers.equals("all") ? Optional.empty() : Optional.of(new LinkedHashSet<>(List.of(layers.split(","))));
        Cosim.Report r = new Cosim(build, parent.err).run(only, Optional.ofNullable(trace));
        if (json) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("build", build.toString());
            rec.put("board", r.board());
            rec.put("bus", r.bus());
            rec.put("allMatch", r.allMatch());
            rec.put("simCycles", r.simCycles());
            rec.put("simSeconds", r.simSeconds());
            rec.put("verilatorSeconds", r.library().verilateTime().toMillis() / 1000.0 + r.library().compileTime().toMillis() / 1000.0);
            rec.put("simulatorCached", r.library().cacheHit());
            rec.put("layers", r.layers());
            parent.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rec));
        } else {
            parent.out.printf("%-22s %-10s %5s %6s %5s %9s %9s %10s%n", "layer", "result", "rows", "cols", "bits", "cycles", "roofline", "efficiency");
            for (Cosim.LayerResult l : r.layers()) {
                parent.out.printf("%-22s %-10s %5d %6d %5d %9d %9d %10.3f%n", l.tensor(), l.match() ? "match" : "MISMATCH",
                        l.rows(), l.cols(), l.bits(), l.cycles(), l.rooflineCycles(), l.efficiency());
            }
            long cycles = r.layers().stream().mapToLong(Cosim.LayerResult::cycles).sum();
            long roof = r.layers().stream().mapToLong(Cosim.LayerResult::rooflineCycles).sum();
            parent.out.printf("%s, %d-bit bus: %d layers, %s; linear cycles %d, roofline %d (%.3f); %.0f simulated cycles/s%n",
                    r.board(), r.bus(), r.layers().size(), r.allMatch() ? "all bit-exact" : "MISMATCHES", cycles, roof,
                    cycles == 0 ? 0 : roof / (double) cycles, r.simCycles() / Math.max(1e-9, r.simSeconds()));
        }
        return r.allMatch() ? Main.OK : Main.FAILURE;
    }
}
