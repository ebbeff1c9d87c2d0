package dev.bitweave.hw.linear;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;

import java.io.IOException;
import java.util.List;

/**
 * A checkpoint whose weight matrices hold only +-0.25 (sign from the wrapped model), so every
 * group's scale is the same and every code sits at an end of its grid.
 */
final class ExtremeWeights implements Checkpoint {
    private final Checkpoint inner;

    ExtremeWeights(Checkpoint inner) {
        this.inner = inner;
    }

    @Override
    public String source() {
        return "extreme:" + inner.source();
    }

    @Override
    public ModelConfig config() {
        return inner.config();
    }

    @Override
    public List<TensorShape> tensors() {
        return inner.tensors();
    }

    @Override
    public float[] readFloat(String name) throws IOException {
        float[] w = inner.readFloat(name);
        if (TensorName.isNorm(name)) return w;
        for (int i = 0; i < w.length; i++) w[i] = w[i] < 0 ? -0.25f : 0.25f;
        return w;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
