package dev.bitweave.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Compare a plan with the float model it came from: teacher-forced over the float model's own",
                "greedy continuation, top-1 agreement and mean KL(float || plan) per position."})
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN_DIR", description = "plan directory")
    Path plan;

    @Option(names = "--against", required = true, paramLabel = "CHECKPOINT", description = "the float checkpoint (or synthetic:SHAPE)")
    String against;

    @Option(names = {"-i", "--prompt"}, paramLabel = "TEXT", defaultValue = "", description = "prompt (default: BOS only)")
    String prompt;

    @Option(names = "-n", paramLabel = "N", defaultValue = "256", description = "positions to evaluate (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer for the prompt (default: the plan's)")
    Path tokenizer;

    @Option(names = "--json", description = "print a JSON record")
    boolean json;

    @ParentCommand
    BitweaveCommand parent;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) throw new BadInputException("-n " + steps + ": must be at least 1");
        ModelSource planSrc = new ModelSource();
        planSrc.path = plan;
        if (!planSrc.isPlan()) throw BadInputException.inFile(plan, "not a plan directory (no plan.json)");
        ModelSource ckSrc = new ModelSource();
        if (against.startsWith("synthetic:")) ckSrc.synthetic = against.substring("synthetic:".length());
        else ckSrc.path = Path.of(against);
        LoadedModel q = LoadedModel.open(planSrc, LoadedModel.Backend.REFERENCE, null);
        LoadedModel f = LoadedModel.open(ckSrc, LoadedModel.Backend.FLOAT, null);
        if (q.decoder().vocabSize() != f.decoder().vocabSize()) {
            throw new BadInputException("plan " + plan + " has vocabulary " + q.decoder().vocabSize() + " but " + against
                    + " has " + f.decoder().vocabSize() + ": not the same model");
        }
        int[] tokens = prompt.isEmpty() ? new int[]{Tokenizer.BOS}
                : new Tokenizer(tokenizer != null || q.vocabulary().isPresent() ? q.vocabularyOr(tokenizer) : f.vocabularyOr(null))
                .encode(prompt, true, false);
        TeacherForcedEval.Result r = TeacherForcedEval.run(f.decoder(), q.decoder(), tokens, steps);
        if (json) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("plan", plan.toString());
            rec.put("against", against);
            rec.put("prompt", prompt);
            rec.put("positions", r.positions().size());
            rec.put("top1Agreement", r.top1Agreement());
            rec.put("meanKl", r.meanKl());
            rec.put("perPosition", r.positions().stream().map(p -> List.of(p.pos(), p.token(), p.floatTop1(), p.quantTop1(), p.kl())).toList());
            parent.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rec));
        } else {
            for (TeacherForcedEval.Position p : r.positions()) {
                parent.out.printf("pos %4d  token %6d  float %6d  plan %6d  %s  KL %.6f%n", p.pos(), p.token(), p.floatTop1(),
                        p.quantTop1(), p.agrees() ? "=" : "x", p.kl());
            }
            parent.out.printf("%s vs %s: %d positions, top-1 agreement %.4f, mean KL %.6f nats%n", plan, against,
                    r.positions().size(), r.top1Agreement(), r.meanKl());
        }
        return Main.OK;
    }
}
