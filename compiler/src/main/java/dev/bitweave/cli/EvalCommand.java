package dev.bitweave.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bitweave.eval.HeldOutText;
import dev.bitweave.eval.Perplexity;
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
                "greedy continuation, top-1 agreement and mean KL(float || plan) per position.",
                "With --text FILE, also the perplexity of both over a held-out UTF-8 text (BOS first, windows of at",
                "most seq_len positions that do not overlap; each later window restarts from BOS)."})
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

    @Option(names = "--text", paramLabel = "FILE", description = "held-out UTF-8 text: report the perplexity of the plan and of the float model on it")
    Path text;

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
        HeldOutText heldOut = text == null ? null : HeldOutText.read(text, tokenizer(q, f));
        int[] tokens = prompt.isEmpty() ? new int[]{Tokenizer.BOS} : tokenizer(q, f).encode(prompt, true, false);
        TeacherForcedEval.Result r = TeacherForcedEval.run(f.decoder(), q.decoder(), tokens, steps);
        Perplexity.Result planPpl = heldOut == null ? null : Perplexity.of(q.decoder(), heldOut.tokens());
        Perplexity.Result floatPpl = heldOut == null ? null : Perplexity.of(f.decoder(), heldOut.tokens());
        if (json) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("plan", plan.toString());
            rec.put("against", against);
            rec.put("prompt", prompt);
            rec.put("positions", r.positions().size());
            rec.put("top1Agreement", r.top1Agreement());
            rec.put("meanKl", r.meanKl());
            if (heldOut != null) {
                Map<String, Object> ppl = new LinkedHashMap<>();
                ppl.put("text", text.toString());
                ppl.put("tokens", planPpl.tokens());
                ppl.put("windows", planPpl.windows());
                ppl.put("windowPositions", q.decoder().seqLen());
                ppl.put("plan", planPpl.perplexity());
                ppl.put("float", floatPpl.perplexity());
                rec.put("perplexity", ppl);
            }
            rec.put("perPosition", r.positions().stream().map(p -> List.of(p.pos(), p.token(), p.floatTop1(), p.quantTop1(), p.kl())).toList());
            parent.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rec));
        } else {
            for (TeacherForcedEval.Position p : r.positions()) {
                parent.out.printf("pos %4d  token %6d  float %6d  plan %6d  %s  KL %.6f%n", p.pos(), p.token(), p.floatTop1(),
                        p.quantTop1(), p.agrees() ? "=" : "x", p.kl());
            }
            parent.out.printf("%s vs %s: %d positions, top-1 agreement %.4f, mean KL %.6f nats%n", plan, against,
                    r.positions().size(), r.top1Agreement(), r.meanKl());
            if (heldOut != null) {
                parent.out.printf("perplexity on %s (%d tokens after BOS, %d window(s) of at most %d positions): plan %.4f, float %.4f%n",
                        text, planPpl.tokens(), planPpl.windows(), q.decoder().seqLen(), planPpl.perplexity(), floatPpl.perplexity());
            }
        }
        return Main.OK;
    }

    /** --tokenizer, else the plan's vocabulary, else the checkpoint's (GGUF). */
    private Tokenizer tokenizer(LoadedModel q, LoadedModel f) {
        return new Tokenizer(tokenizer != null || q.vocabulary().isPresent() ? q.vocabularyOr(tokenizer) : f.vocabularyOr(null));
    }
}
