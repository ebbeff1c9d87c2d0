package dev.bitweave.quantize.mixed;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorShape;

import java.util.List;
import java.util.Map;

/** A checkpoint held in memory with one tensor replaced: the float model with a single layer quantized. */
record SubstitutedCheckpoint(Checkpoint original, Map<String, float[]> weights, String tensor, float[] replacement)
        implements Checkpoint {

    @Override
    public String source() {
        return original.source();
    }

    @Override
    public ModelConfig config() {
        return original.config();
    }

    @Override
    public List<TensorShape> tensors() {
        return original.tensors();
    }

    /** The arrays are shared, not copied: FloatTransformer only reads them. */
    @Override
    public float[] readFloat(String name) {
        return name.equals(tensor) ? replacement : weights.get(name);
    }

    @Override
    public void close() {
        // the original stays open; its owner closes it
    }
}
