package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.numerics.ElementFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Integer or float at the same width, per layer (docs/quantization.md, "Format per layer"): INT8
 * against FP8 E4M3 and INT4 against FP4 E2M1, with the layer's own group size and scale encoding,
 * whichever rounds to the smaller output error on the calibration inputs. Layers at other widths
 * keep their recipe spec.
 */
public final class FormatChoice {
    /** One layer's decision and the two errors it was made on. */
    public record Decision(String tensor, LayerSpec chosen, double intError, double floatError) {
    }

    private FormatChoice() {
    }

    /** The float format with the same stored width as an int spec, if any. */
    static Optional<ElementFormat> floatPartner(LayerSpec s) {
        if (s.format() != ElementFormat.INT) return Optional.empty();
        return switch (s.bits()) {
            case 8 -> Optional.of(ElementFormat.FP8_E4M3);
            case 4 -> Optional.of(ElementFormat.FP4_E2M1);
            default -> Optional.empty();
        };
    }

    /** The input a layer reads, under the name Calibration records it. */
    static String inputOf(String tensor, ModelConfig c) {
        if (tensor.equals(TensorName.TOKEN_EMBD) || tensor.equals(TensorName.OUTPUT)) {
            return c.tiedClassifier() ? TensorName.TOKEN_EMBD : TensorName.OUTPUT;
        }
        for (int l = 0; l < c.layers(); l++) {
            if (List.of(TensorName.attnQ(l), TensorName.attnK(l), TensorName.attnV(l)).contains(tensor)) return TensorName.attnQ(l);
            if (List.of(TensorName.ffnGate(l), TensorName.ffnUp(l)).contains(tensor)) return TensorName.ffnGate(l);
            if (tensor.equals(TensorName.attnOut(l)) || tensor.equals(TensorName.ffnDown(l))) return tensor;
        }
        throw new IllegalArgumentException("not a linear layer: " + tensor);
    }

    public static List<Decision> choose(Checkpoint ckpt, Function<String, LayerSpec> specFor, Calibration cal) throws IOException {
        ModelConfig c = ckpt.config();
        List<Decision> out = new ArrayList<>();
        for (TensorShape t : ckpt.tensors()) {
            if (TensorName.isNorm(t.name())) continue;
            LayerSpec s = specFor.apply(t.name());
            Optional<ElementFormat> fp = floatPartner(s);
            if (fp.isEmpty()) continue;
            LayerSpec f = new LayerSpec(fp.get(), fp.get().fixedBits(), true, s.groupSize(), s.scaleEncoding(), s.scaleBits(),
                    s.activationBits());
            float[] w = ckpt.readFiniteFloat(t.name());
            float[][] x = cal.inputs().get(inputOf(t.name(), c));
            double[] ones = new double[t.cols()];
            java.util.Arrays.fill(ones, 1);
            // the classifier is the widest layer: a quarter of the rows measures it well enough
            int use = Math.min(t.rows() > 4 * c.dim() ? ActivationAwareScaling.ERROR_ROWS / 4 : ActivationAwareScaling.ERROR_ROWS, x.length);
            double ei = ActivationAwareScaling.outputError(s.forColumns(t.cols()), t.name(), w, t.rows(), t.cols(), ones, x, use, 1.0);
            double ef = ActivationAwareScaling.outputError(f.forColumns(t.cols()), t.name(), w, t.rows(), t.cols(), ones, x, use, 1.0);
            out.add(new Decision(t.name(), ef < ei ? f : s, ei, ef));
        }
        return List.copyOf(out);
    }

    /** The recipe's specs with the decisions applied. */
    public static Function<String, LayerSpec> apply(Function<String, LayerSpec> specFor, List<Decision> decisions) {
        Map<String, LayerSpec> chosen = new LinkedHashMap<>();
        for (Decision d : decisions) chosen.put(d.tensor(), d.chosen());
        return t -> chosen.containsKey(t) ? chosen.get(t) : specFor.apply(t);
    }
}
