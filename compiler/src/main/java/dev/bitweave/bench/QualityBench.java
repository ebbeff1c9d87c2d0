package dev.bitweave.bench;

import dev.bitweave.board.Board;
import dev.bitweave.eval.HeldOutText;
import dev.bitweave.eval.Perplexity;
import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.model.TensorName;
import dev.bitweave.pack.HardwareParams;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.pack.LinearShape;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.plan.TensorEntry;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.Recipe;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.text.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Quantizes a checkpoint with every method, evaluates each plan against the fp32 model
 * (teacher-forced over the fp32 greedy continuation of BOS: top-1 agreement and mean KL;
 * optionally perplexity on a held-out text) and counts what each plan costs in bandwidth.
 */
public final class QualityBench {
    /**
     * @param packedBitsPerWeight plan bits (codes + scale fields) over weight elements, as the mixed budget counts them
     * @param streamedBitsPerToken bits of weights.img's LINEAR regions for the board, every one streamed once per token
     * @param perplexity          of the plan on the held-out text, null without one
     */
    public record Row(QualityMethod method, double packedBitsPerWeight, long streamedBitsPerToken, double top1Agreement,
                      double meanKl, Double perplexity) {
    }

    /** @param floatPerplexity of the fp32 model on the held-out text, null without one */
    public record Result(String checkpoint, String board, int busBits, int positions, List<Row> rows, Double floatPerplexity,
                         String text, int textTokens) {
    }

    private QualityBench() {
    }

    /**
     * @param text      held-out text, or null
     * @param tokenizer tokenizes the text (may be null without a text)
     */
    public static Result run(Path checkpoint, List<QualityMethod> methods, Board board, int positions, Path work, Path text,
                             Tokenizer tokenizer, Consumer<String> log) throws IOException {
        Files.createDirectories(work);
        HeldOutText heldOut = text == null ? null : HeldOutText.read(text, tokenizer);
        List<Row> rows = new ArrayList<>();
        Double floatPpl = null;
        int evaluated;
        try (Checkpoint ck = CheckpointOpener.open(checkpoint)) {
            FloatTransformer fp32 = FloatTransformer.load(ck);
            evaluated = Math.min(positions, fp32.seqLen());
            if (heldOut != null) floatPpl = Perplexity.of(fp32, heldOut.tokens()).perplexity();
            for (QualityMethod m : methods) {
                log.accept("bench quality: " + m.name() + " ...");
                Path dir = work.resolve("quality-" + m.name());
                new PlanQuantizer(recipe(m, work), p -> { }).quantize(ck, dir, true);
                QuantizedModel plan = PlanReader.load(dir);
                IntegerTransformer q = new IntegerTransformer(plan);
                TeacherForcedEval.Result r = TeacherForcedEval.run(fp32, q, new int[]{Tokenizer.BOS}, positions);
                Double ppl = heldOut == null ? null : Perplexity.of(q, heldOut.tokens()).perplexity();
                rows.add(new Row(m, packedBitsPerWeight(plan), streamedBitsPerToken(plan, board), r.top1Agreement(), r.meanKl(), ppl));
            }
        }
        return new Result(checkpoint.toString(), board.name(), board.busWidthBits(), evaluated, rows, floatPpl,
                text == null ? null : text.toString(), heldOut == null ? 0 : heldOut.tokens().length - 1);
    }

    private static Recipe recipe(QualityMethod m, Path work) throws IOException {
        if (!m.recipe().startsWith("{")) return RecipeReader.resolve(m.recipe());
        Path file = Files.writeString(work.resolve(m.name() + ".json"), m.recipe());
        return RecipeReader.resolve(file.toString());
    }

    /** Codes plus scale fields of every weight matrix, over their elements (norm vectors excluded). */
    public static double packedBitsPerWeight(QuantizedModel plan) {
        long bits = 0;
        long elements = 0;
        for (TensorEntry e : plan.plan().tensors()) {
            if (e.isVector()) continue;
            bits += LinearLayout.planBits(PlanReader.spec(e), e.rows(), e.cols());
            elements += (long) e.rows() * e.cols();
        }
        return bits / (double) elements;
    }

    /**
     * What one decode step streams from board memory for weights: every LINEAR region of
     * weights.img (beats of codes and scale entries, padding included) once, the tied classifier
     * being token_embd's region. The EMBED op's one-row read and the KV cache are not counted.
     */
    public static long streamedBitsPerToken(QuantizedModel plan, Board board) {
        HardwareParams hw = HardwareParams.derive(plan, board);
        long bytes = 0;
        boolean tied = plan.plan().model().tiedClassifier();
        for (LinearShape s : HardwareParams.linearShapes(plan)) {
            // untied: token_embd is only read a row at a time by EMBED; the classifier is 'output'
            if (!tied && s.name().equals(TensorName.TOKEN_EMBD)) continue;
            bytes += hw.layout(s).regionBytes();
        }
        return 8 * bytes;
    }
}
