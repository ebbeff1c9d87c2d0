package dev.bitweave.plan;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams tensors into a new plan directory one at a time (so quantizing never holds more than
 * the current tensor) and publishes it atomically with plan.json on {@link #finish}.
 */
public final class PlanWriter implements AutoCloseable {
    private final AtomicDirectory out;
    private final OutputStream bin;
    private final List<TensorEntry> entries = new ArrayList<>();
    private long offset;

    public PlanWriter(Path target, boolean replace) throws IOException {
        this.out = AtomicDirectory.create(target, replace);
        this.bin = new BufferedOutputStream(Files.newOutputStream(out.dir().resolve(Plan.TENSORS_BIN)), 1 << 20);
    }

    public void addVector(String name, int[] fx) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * fx.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(fx);
        Blob codes = blob(b.array());
        entries.add(new TensorEntry(name, List.of(1, fx.length), TensorEntry.Q16, null, null, null, null, null, null,
                null, null, codes, null, null, null));
    }

    /** @param activationBits width of this layer's input activations, or null for the plan default */
    public void addMatrix(QuantTensor t, Integer activationBits) throws IOException {
        addMatrix(t, activationBits, null);
    }

    /** @param policy the token-adaptive input width, or null for a fixed one */
    public void addMatrix(QuantTensor t, Integer activationBits, ActivationPolicy policy) throws IOException {
        WeightSpec s = t.spec();
        ScaleEncoding enc = s.scaleEncoding();
        Blob codes = blob(BitPacking.pack(t.codes(), s.bits()));
        Blob scales = null;
        Blob exps = null;
        Blob zeros = null;
        if (enc.perGroupMultiplier()) {
            ByteBuffer b = ByteBuffer.allocate(2 * t.mult().length).order(ByteOrder.LITTLE_ENDIAN);
            for (int m : t.mult()) b.putShort((short) m);
            scales = blob(b.array());
        }
        if (enc.perGroupExponent()) {
            byte[] e = new byte[t.exp().length];
            for (int i = 0; i < e.length; i++) e[i] = (byte) t.exp()[i];
            exps = blob(e);
        }
        if (t.zero() != null) {
            byte[] z = new byte[t.zero().length];
            for (int i = 0; i < z.length; i++) z[i] = (byte) t.zero()[i];
            zeros = blob(z);
        }
        boolean isInt = !s.format().isFloat();
        entries.add(new TensorEntry(t.name(), List.of(t.rows(), t.cols()), s.format().id(), s.bits(),
                isInt ? s.symmetric() : null, s.groupSize(), enc.id(), enc.perGroupMultiplier() ? s.scaleBits() : null,
                enc == ScaleEncoding.MUL_SHIFT ? t.exp()[0] : null, activationBits, policy, codes, scales, exps, zeros));
    }

    public void addVocabulary(dev.bitweave.runtime.text.Vocabulary v) throws IOException {
        PlanTokenizer.write(out.dir(), v);
    }

    private Blob blob(byte[] data) throws IOException {
        long start = offset;
        bin.write(data);
        offset += data.length;
        int pad = (int) ((Plan.ALIGNMENT - offset % Plan.ALIGNMENT) % Plan.ALIGNMENT);
        bin.write(new byte[pad]);
        offset += pad;
        return new Blob(start, data.length);
    }

    public Path finish(ModelConfig model, int activationBits, int kvBits, String recipe, String source) throws IOException {
        bin.close();
        Plan plan = new Plan(Plan.SCHEMA, Plan.VERSION, model, activationBits, kvBits, recipe, source, Plan.TENSORS_BIN,
                offset, List.copyOf(entries));
        Files.write(out.dir().resolve(Plan.PLAN_JSON), PlanJson.write(plan));
        out.commit();
        return out.target();
    }

    @Override
    public void close() throws IOException {
        bin.close();
        out.close();
    }
}
