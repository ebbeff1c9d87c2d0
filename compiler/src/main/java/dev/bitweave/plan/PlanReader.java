package dev.bitweave.plan;

import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a plan directory: plan.json is validated on its own, then against tensors.bin (every blob
 * inside the file and of the size its format implies) and against the model (exactly the tensors
 * of that shape), then the values themselves (zero points in range, no NaN codes, accumulators
 * that fit 64 bits).
 */
public final class PlanReader {
    /** Largest weight magnitude + 1 a plan may encode: fx has 15 integer bits. */
    private static final double FX_RANGE = 1 << (31 - dev.bitweave.numerics.Fixed.FX);

    private PlanReader() {
    }

    public static Plan read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw BadInputException.inFile(dir, Files.exists(dir) ? "not a plan directory (expected a directory holding plan.json)" : "plan directory not found");
        }
        Path json = dir.resolve(Plan.PLAN_JSON);
        Plan plan = PlanJson.read(json);
        Path bin = tensorsPath(dir, plan);
        long actual;
        try {
            actual = Files.size(bin);
        } catch (IOException e) {
            throw BadInputException.inFile(json, "$.tensorsFile: " + bin.getFileName() + " not found in " + dir);
        }
        if (actual != plan.tensorsSize()) {
            throw BadInputException.inFile(json, "$.tensorsSize: " + plan.tensorsSize() + " bytes, but " + bin + " has " + actual);
        }
        checkTensors(json, plan);
        checkSharedInputs(json, plan);
        return plan;
    }

    /**
     * A low-rank factor's expected shape: its layer is a blk.* matrix of the model, its partner is
     * present, and the rank r (A's cols, B's rows) is the same in both, 1 <= r <= min(rows, cols) / 2.
     */
    private static TensorShape lowRankShape(Path json, String p, Plan plan, Map<String, TensorShape> byName,
                                            Map<String, Integer> index, TensorEntry t) {
        String base = TensorName.lowRankBase(t.name());
        TensorShape layer = byName.get(base);
        if (layer == null || !base.startsWith("blk.") || TensorName.isNorm(base)) {
            throw BadInputException.inFile(json, p + ".name: \"" + t.name() + "\" corrects \"" + base
                    + "\", which is not a layer matrix of this model (only blk.* matrices take a low-rank correction)");
        }
        boolean isA = t.name().endsWith(".lr_a");
        String partner = isA ? TensorName.lowRankB(base) : TensorName.lowRankA(base);
        Integer j = index.get(partner);
        if (j == null) throw BadInputException.inFile(json, p + ".name: \"" + t.name() + "\" without its partner \"" + partner + "\"");
        TensorEntry o = plan.tensors().get(j);
        int r = isA ? t.cols() : t.rows();
        int max = Math.min(layer.rows(), layer.cols()) / 2;
        if (r < 1 || r > max) throw BadInputException.inFile(json, p + ".shape: rank " + r + " outside [1, " + max + "] for " + base);
        if ((isA ? o.rows() : o.cols()) != r) {
            throw BadInputException.inFile(json, p + ".shape: rank " + r + " but \"" + partner + "\" has rank " + (isA ? o.rows() : o.cols()));
        }
        return isA ? new TensorShape(t.name(), layer.rows(), r) : new TensorShape(t.name(), r, layer.cols());
    }

    /** A side path's expected shape: its layer is a blk.* matrix; it covers 1..cols/2 of the layer's first columns. */
    private static TensorShape sideShape(Path json, String p, Map<String, TensorShape> byName, TensorEntry t) {
        String base = t.name().substring(0, t.name().length() - ".side".length());
        TensorShape layer = byName.get(base);
        if (layer == null || !base.startsWith("blk.") || TensorName.isNorm(base)) {
            throw BadInputException.inFile(json, p + ".name: \"" + t.name() + "\" is the side path of \"" + base
                    + "\", which is not a layer matrix of this model (only blk.* matrices take one)");
        }
        int max = Math.max(1, layer.cols() / 2);
        if (t.cols() < 1 || t.cols() > max) throw BadInputException.inFile(json, p + ".shape: " + t.cols() + " side columns outside [1, " + max + "] for " + base);
        return new TensorShape(t.name(), layer.rows(), t.cols());
    }

    static Path tensorsPath(Path dir, Plan plan) {
        Path bin = dir.resolve(plan.tensorsFile()).normalize();
        if (!bin.startsWith(dir.normalize())) {
            throw BadInputException.inFile(dir.resolve(Plan.PLAN_JSON), "$.tensorsFile: escapes the plan directory");
        }
        return bin;
    }

    private static void checkTensors(Path json, Plan plan) {
        List<TensorShape> expected = TensorName.all(plan.model());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < plan.tensors().size(); i++) {
            String name = plan.tensors().get(i).name();
            if (index.put(name, i) != null) throw BadInputException.inFile(json, "$.tensors[" + i + "].name: duplicate tensor \"" + name + "\"");
        }
        for (TensorShape s : expected) {
            if (!index.containsKey(s.name())) throw BadInputException.inFile(json, "$.tensors: missing tensor \"" + s.name() + "\"");
        }
        Map<String, TensorShape> byName = new HashMap<>();
        for (TensorShape s : expected) byName.put(s.name(), s);
        for (int i = 0; i < plan.tensors().size(); i++) {
            TensorEntry t = plan.tensors().get(i);
            String p = "$.tensors[" + i + "]";
            TensorShape s = byName.get(t.name());
            if (s == null && TensorName.isLowRank(t.name())) s = lowRankShape(json, p, plan, byName, index, t);
            if (s == null && TensorName.isSide(t.name())) s = sideShape(json, p, byName, t);
            if (s == null) throw BadInputException.inFile(json, p + ".name: \"" + t.name() + "\" is not a tensor of this model");
            if (t.rows() != s.rows() || t.cols() != s.cols()) {
                throw BadInputException.inFile(json, p + ".shape: [" + t.rows() + ", " + t.cols() + "] but the model needs ["
                        + s.rows() + ", " + s.cols() + "]");
            }
            if (TensorName.isNorm(t.name()) != t.isVector()) {
                throw BadInputException.inFile(json, p + ".format: " + (t.isVector() ? "a matrix cannot be q16" : "norm weights must be q16"));
            }
            long n = (long) t.rows() * t.cols();
            if (t.isVector()) {
                checkBlob(json, plan, p + ".codes", t.codes(), 4 * n);
                continue;
            }
            long groups = (long) t.rows() * ((t.cols() + t.groupSize() - 1) / t.groupSize());
            checkBlob(json, plan, p + ".codes", t.codes(), BitPacking.packedBytes(n, t.bits()));
            if (t.scales() != null) checkBlob(json, plan, p + ".scales", t.scales(), 2 * groups);
            if (t.exponents() != null) checkBlob(json, plan, p + ".exponents", t.exponents(), groups);
            if (t.zeros() != null) checkBlob(json, plan, p + ".zeros", t.zeros(), groups);
        }
    }

    /** Q, K and V read one normalised vector, as do gate and up: one activation width each. */
    private static void checkSharedInputs(Path json, Plan plan) {
        for (int l = 0; l < plan.model().layers(); l++) {
            sameActivation(json, plan, TensorName.attnQ(l), TensorName.attnK(l), TensorName.attnV(l));
            sameActivation(json, plan, TensorName.ffnGate(l), TensorName.ffnUp(l));
        }
    }

    private static void sameActivation(Path json, Plan plan, String first, String... others) {
        int a = activationBits(plan, first);
        ActivationPolicy policy = plan.tensor(first).activationPolicy();
        for (String o : others) {
            if (activationBits(plan, o) != a) {
                throw BadInputException.inFile(json, "$.tensors: " + o + " has activationBits " + activationBits(plan, o)
                        + " but shares its input with " + first + " (" + a + ")");
            }
            if (!java.util.Objects.equals(plan.tensor(o).activationPolicy(), policy)) {
                throw BadInputException.inFile(json, "$.tensors: " + o + " has activationPolicy " + plan.tensor(o).activationPolicy()
                        + " but shares its input with " + first + " (" + policy + ")");
            }
        }
    }

    private static int activationBits(Plan plan, String tensor) {
        Integer a = plan.tensor(tensor).activationBits();
        return a == null ? plan.activations() : a;
    }

    private static void checkBlob(Path json, Plan plan, String path, Blob b, long size) {
        if (b.size() != size) throw BadInputException.inFile(json, path + ".size: " + b.size() + " bytes, expected " + size + " for this shape and format");
        // compared without computing offset + size, which a hostile offset near 2^63 overflows
        if (b.offset() > plan.tensorsSize() - b.size()) {
            throw BadInputException.inFile(json, path + ": " + b.size() + " bytes at offset " + b.offset()
                    + " run past the end of " + plan.tensorsFile() + " (" + plan.tensorsSize() + " bytes)");
        }
    }

    /** Reads and validates a plan and all its tensors into memory. */
    public static QuantizedModel load(Path dir) {
        Plan plan = read(dir);
        Path json = dir.resolve(Plan.PLAN_JSON);
        Map<String, int[]> vectors = new LinkedHashMap<>();
        Map<String, QuantTensor> matrices = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(tensorsPath(dir, plan), StandardOpenOption.READ)) {
            for (int i = 0; i < plan.tensors().size(); i++) {
                TensorEntry t = plan.tensors().get(i);
                if (t.isVector()) {
                    ByteBuffer b = readBlob(ch, t.codes());
                    int[] v = new int[t.cols()];
                    b.asIntBuffer().get(v);
                    vectors.put(t.name(), v);
                } else {
                    matrices.put(t.name(), decode(json, "$.tensors[" + i + "]", t, ch, plan.activations()));
                }
            }
        } catch (IOException e) {
            throw BadInputException.inFile(tensorsPath(dir, plan), "cannot read: " + e.getMessage());
        }
        return new QuantizedModel(plan, vectors, matrices);
    }

    public static WeightSpec spec(TensorEntry t) {
        ScaleEncoding enc = ScaleEncoding.parse(t.scaleEncoding());
        return new WeightSpec(ElementFormat.parse(t.format()), t.bits(), t.symmetric() == null || t.symmetric(),
                t.groupSize(), enc, t.scaleBits() == null ? 0 : t.scaleBits());
    }

    private static QuantTensor decode(Path json, String p, TensorEntry t, FileChannel ch, int defaultAct) throws IOException {
        WeightSpec spec = spec(t);
        int n = t.rows() * t.cols();
        byte[] codes = BitPacking.unpack(bytes(readBlob(ch, t.codes())), t.bits(), n);
        int groups = t.rows() * ((t.cols() + t.groupSize() - 1) / t.groupSize());
        int[] mult = new int[groups];
        int[] exp = new int[groups];
        int[] zero = null;
        if (t.scales() != null) {
            ByteBuffer b = readBlob(ch, t.scales());
            int limit = (1 << t.scaleBits()) - 1;
            for (int g = 0; g < groups; g++) {
                mult[g] = b.getShort() & 0xFFFF;
                if (mult[g] > limit) throw BadInputException.inFile(json, p + ".scales: group " + g + " multiplier " + mult[g] + " exceeds scaleBits " + t.scaleBits());
            }
        } else {
            java.util.Arrays.fill(mult, 1);
        }
        if (t.exponents() != null) {
            ByteBuffer b = readBlob(ch, t.exponents());
            for (int g = 0; g < groups; g++) exp[g] = b.get();
        } else {
            java.util.Arrays.fill(exp, t.tensorExponent());
        }
        if (t.zeros() != null) {
            ByteBuffer b = readBlob(ch, t.zeros());
            zero = new int[groups];
            for (int g = 0; g < groups; g++) {
                zero[g] = b.get() & 0xFF;
                if (zero[g] >= 1 << t.bits()) throw BadInputException.inFile(json, p + ".zeros: group " + g + " zero point " + zero[g] + " does not fit " + t.bits() + " bits");
            }
        }
        if (spec.format().isFloat()) {
            for (int k = 0; k < n; k++) {
                if (spec.format().isSpecial(codes[k] & 0xFF)) {
                    throw BadInputException.inFile(json, p + ".codes: element " + k + " is a NaN/Inf code of " + t.format());
                }
            }
        }
        QuantTensor q = new QuantTensor(t.name(), t.rows(), t.cols(), spec, codes, mult, exp, zero);
        checkWeightRange(json, p, t, q);
        int act = t.activationBits() == null ? defaultAct : t.activationBits();
        if (t.activationPolicy() != null && t.activationPolicy().lowBits() >= act) {
            throw BadInputException.inFile(json, p + ".activationPolicy.lowBits: " + t.activationPolicy().lowBits()
                    + " must be below the tensor's activation width " + act);
        }
        int acc = q.accumulatorBits(act);
        if (acc > 64) {
            throw BadInputException.inFile(json, p + ": its scales span 2^" + (q.maxExp() - q.minExp())
                    + " and need a " + acc + "-bit accumulator; at most 64 is supported");
        }
        return q;
    }

    /**
     * Every weight must be a value fx (Q15.16) can hold, |w| < 2^15: the embedding row is
     * dequantized to fx, and the numerics treat a scale that overflows as an error (an exception
     * mid-run, exit 1) rather than saturating. Trained weights are many orders of magnitude
     * smaller, so this only refuses corrupt exponents or multipliers, and refuses them on load.
     */
    private static void checkWeightRange(Path json, String p, TensorEntry t, QuantTensor q) {
        double maxCode = q.spec().maxMagnitude();
        for (int g = 0; g < q.mult().length; g++) {
            double w = maxCode * (q.mult()[g] & 0xFFFFFFFFL) * Math.pow(2, q.exp()[g]);
            if (w >= FX_RANGE) {
                String where = t.exponents() != null ? ".exponents" : ".tensorExponent";
                throw BadInputException.inFile(json, p + where + ": group " + g + " has scale " + (q.mult()[g] & 0xFFFFFFFFL)
                        + " * 2^" + q.exp()[g] + ", so weights up to " + String.format(java.util.Locale.ROOT, "%.4g", w) + "; weights must stay below 2^15 (the fx range)");
            }
        }
    }

    private static ByteBuffer readBlob(FileChannel ch, Blob b) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(b.size())).order(ByteOrder.LITTLE_ENDIAN);
        long pos = b.offset();
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw new IOException("unexpected end of file at " + pos);
            pos += r;
        }
        return buf.flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
