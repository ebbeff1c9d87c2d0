package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A trained model on disk (or a synthetic one) whose tensors can be read one at a time, so that
 * importing never holds more than one tensor on the heap. Tensors use the canonical names of
 * {@link dev.bitweave.model.TensorName} and llama2.c's orientation and row order.
 */
public interface Checkpoint extends AutoCloseable {
    /** Where it came from, for messages ("synthetic:stories15m" for synthetic models). */
    String source();

    ModelConfig config();

    /** Every tensor, in file order. */
    List<TensorShape> tensors();

    /** One tensor as fp32 (dequantized if stored quantized), row-major. */
    float[] readFloat(String name) throws IOException;

    /**
     * {@link #readFloat}, refusing NaN and infinities: a checkpoint holding them is corrupt, and
     * neither a quantizer nor the float model can do anything sensible with them (they ended in
     * an ArrayIndexOutOfBoundsException, or NaN silently quantized into a plan).
     */
    default float[] readFiniteFloat(String name) throws IOException {
        float[] v = readFloat(name);
        for (int k = 0; k < v.length; k++) {
            if (!Float.isFinite(v[k])) {
                int cols = tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().cols();
                throw new BadInputException(source() + ": tensor " + name + " row " + (k / cols) + " column "
                        + (k % cols) + " is " + v[k] + "; weights must be finite (corrupt checkpoint?)");
            }
        }
        return v;
    }

    /** A vocabulary embedded in the checkpoint (GGUF), if any. */
    default Optional<Vocabulary> vocabulary() {
        return Optional.empty();
    }

    /**
     * The tensor exactly as stored when its storage maps onto a plan format without loss
     * (GGUF Q8_0 / Q4_0), else empty.
     */
    default Optional<PreQuantized> preQuantized(String name) throws IOException {
        return Optional.empty();
    }

    @Override
    void close() throws IOException;

    /** Path of the file, when there is one. */
    default Optional<Path> file() {
        return Optional.empty();
    }
}
