package dev.bitweave.bench;

import dev.bitweave.runtime.BadInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of the quality benchmark: a quantization method at a bit budget, given as a named
 * recipe (a preset name, or a recipe.json text). Append to {@link #DEFAULTS} to benchmark a new
 * method; nothing else needs to change.
 *
 * @param method label of the method (RTN, GSE, mixed...)
 * @param budget the bit budget the row belongs to, as the table shows it
 * @param name   recipe name (the plan's "recipe" field and its work directory)
 * @param recipe a preset name, or recipe.json text starting with '{'
 */
public record QualityMethod(String method, String budget, String name, String recipe) {

    /** Mixed precision by sensitivity on the mixed presets' base, at {@code targetBits} packed. */
    public static QualityMethod mixed(String budget, double targetBits) {
        String name = "mixed-" + targetBits;
        return new QualityMethod("mixed (sensitivity)", budget, name, """
                {"name": "%s", "weights": {"format": "int", "bits": 4, "symmetric": false, "groupSize": 0,
                 "scaleEncoding": "mul-shift", "scaleBits": 16}, "mixedPrecision": {"targetBits": %s}}""".formatted(name, targetBits));
    }

    /**
     * RTN at 8, 4, 3 and 2 bits (at 8 and 4 also with 4-bit activations, and token-adaptive 4/8-bit activations), group-shared exponents and int/fp4 per layer at 4, activation-aware scaling at 4, 3 and 2,
     * salient side paths and low-rank correction (rank 8) at 3 and 2, and mixed precision at 3.0 and 2.5 average bits plus
     * at about what each RTN preset streams (4.5, 3.75, 3.5: a little under w4a8-g32's 4.51,
     * w3a8-g32's 3.77 and w2a8-g16's 3.54), for comparisons at equal bits.
     */
    public static final List<QualityMethod> DEFAULTS = List.of(
            new QualityMethod("RTN", "8", "w8a8", "w8a8"),
            new QualityMethod("RTN, 4-bit activations", "8", "w8a4", "w8a4"),
            new QualityMethod("token-adaptive activations (4 or 8 bits, half at 4)", "8", "ada-w8a8", "ada-w8a8"),
            new QualityMethod("RTN", "4", "w4a8-g32", "w4a8-g32"),
            new QualityMethod("RTN, 4-bit activations", "4", "w4a4-g32", """
                    {"name": "w4a4-g32", "weights": {"format": "int", "bits": 4, "symmetric": true, "groupSize": 32,
                     "scaleEncoding": "mul-shift", "scaleBits": 16}, "activations": 4}"""),
            new QualityMethod("token-adaptive activations (4 or 8 bits, half at 4)", "4", "ada-w4a8-g32", "ada-w4a8-g32"),
            new QualityMethod("activation-aware", "4", "awq-w4a8-g32", "awq-w4a8-g32"),
            new QualityMethod("RTN, group-shared exponents", "4", "w4a8-gse32", "w4a8-gse32"),
            new QualityMethod("int or fp4 per layer", "4", "fmt-w4a8-g32", "fmt-w4a8-g32"),
            mixed("4: 4.5 average", 4.5),
            new QualityMethod("RTN", "3", "w3a8-g32", "w3a8-g32"),
            new QualityMethod("activation-aware", "3", "awq-w3a8-g32", "awq-w3a8-g32"),
            new QualityMethod("salient channels (5 %) in an int8 side path", "3", "sal-w3a8-g32", "sal-w3a8-g32"),
            new QualityMethod("low-rank correction, rank 8", "3", "w3a8-g32-lr8", "w3a8-g32-lr8"),
            mixed("3: 3.75 average", 3.75),
            new QualityMethod("mixed (sensitivity)", "3.0 average", "mixed-3.0", "mixed-3.0"),
            new QualityMethod("RTN", "2", "w2a8-g16", "w2a8-g16"),
            new QualityMethod("activation-aware", "2", "awq-w2a8-g16", "awq-w2a8-g16"),
            new QualityMethod("salient channels (5 %) in an int8 side path", "2", "sal-w2a8-g16", "sal-w2a8-g16"),
            new QualityMethod("low-rank correction, rank 8", "2", "w2a8-g16-lr8", "w2a8-g16-lr8"),
            mixed("2: 3.5 average", 3.5),
            new QualityMethod("mixed (sensitivity)", "2.5 average", "mixed-2.5", "mixed-2.5"));

    /** The methods named (recipe names), in the order given; an unknown name is bad input. */
    public static List<QualityMethod> select(List<QualityMethod> from, List<String> names) {
        List<QualityMethod> out = new ArrayList<>();
        for (String n : names) {
            out.add(from.stream().filter(m -> m.name().equals(n)).findFirst().orElseThrow(() -> new BadInputException(
                    "--methods: unknown method '" + n + "' (expected some of " + String.join(", ", from.stream().map(QualityMethod::name).toList()) + ")")));
        }
        return out;
    }
}
