package dev.bitweave.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.csim.Csim;
import dev.bitweave.csim.CsimCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "csim", mixinStandardHelpOptions = true,
        description = {"C-simulate the build's HLS kernel (hls/, compiled with g++ -std=c++14 -Wall -Wextra -Werror, cached):",
                "greedy decoding from BOS, every position's logits compared bit for bit with the Java integer reference.",
                "Exit 0 when all match, 1 on a mismatch or a kernel error, 2 on bad input."})
public final class CsimCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUILD_DIR", description = "build directory (./bitweave compile)")
    Path build;

    @Option(names = "--tokens", defaultValue = "64", paramLabel = "N", description = "positions to decode (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--json", description = "print a JSON record")
    boolean json;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        BuildDirectory dir = BuildDirectory.open(build);
        Csim.Report r = new Csim(CsimCompiler.standard(parent.err), parent.err).run(dir, tokens);
        String ids = r.ids().stream().map(String::valueOf).collect(Collectors.joining(" "));
        if (json) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("build", build.toString());
            rec.put("board", r.board());
            rec.put("bus", r.bus());
            rec.put("positions", r.positions());
            rec.put("matched", r.matched());
            rec.put("allMatch", r.allMatch());
            rec.put("kernelError", r.kernelError());
            rec.put("firstMismatch", r.firstMismatch().orElse(null));
            rec.put("ids", r.ids());
            rec.put("compiler", r.executable().compiler());
            rec.put("compileSeconds", r.executable().seconds());
            rec.put("compileCached", r.executable().cacheHit());
            rec.put("runSeconds", r.runSeconds());
            parent.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rec));
        } else {
            parent.out.printf("%s, %d-bit bus: %d/%d positions bit-exact (logits and ARGMAX against the integer reference)%n",
                    r.board(), r.bus(), r.matched(), r.positions());
            if (!r.kernelError().isEmpty()) parent.out.println("kernel error: " + r.kernelError());
            r.firstMismatch().ifPresent(m -> parent.out.println(m.index() < 0
                    ? String.format("first mismatch: position %d, argmax %d, the reference's %d", m.pos(), m.got(), m.want())
                    : String.format("first mismatch: position %d, logit %d is %d, the reference's %d", m.pos(), m.index(), m.got(), m.want())));
            parent.out.println("ids: " + ids);
            parent.out.printf("g++ %s (%.1f s); C simulation %.2f s; reference %.2f s%n",
                    r.executable().cacheHit() ? "cached" : "built", r.executable().seconds(), r.runSeconds(), r.referenceSeconds());
        }
        return r.allMatch() ? Main.OK : Main.FAILURE;
    }
}
