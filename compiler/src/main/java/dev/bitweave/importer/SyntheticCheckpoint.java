package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of a real Llama shape whose weights come from a seeded generator, for benchmarks and
 * tests that need sizes no shared file has (up to Llama-2-7B). Each tensor is generated when read,
 * from a stream seeded by the model seed and the tensor's name, so tensors can be read in any order
 * and the same seed always gives the same bytes on every JVM: the generator is integer arithmetic
 * plus one float multiply, with no library randomness whose algorithm could change.
 *
 * <p>Values are roughly Llama-like: matrices and embeddings ~ N(0, 0.02^2), norm gains ~ 1 +
 * N(0, 0.05^2). The normal is approximated by a sum of four uniforms (Irwin-Hall), so it has no
 * tails beyond 3.46 sigma; quantizer studies that need real outliers should use a real model.
 */
public final class SyntheticCheckpoint implements Checkpoint {
    private static final Map<String, ModelConfig> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("stories260k", new ModelConfig(64, 172, 5, 8, 4, 512, 512, 10000.0, 1e-5, true));
        PRESETS.put("stories15m", new ModelConfig(288, 768, 6, 6, 6, 32000, 256, 10000.0, 1e-5, true));
        PRESETS.put("stories110m", new ModelConfig(768, 2048, 12, 12, 12, 32000, 1024, 10000.0, 1e-5, true));
        PRESETS.put("llama2-7b", new ModelConfig(4096, 11008, 32, 32, 32, 32000, 4096, 10000.0, 1e-5, false));
    }

    static final float MATRIX_STD = 0.02f;
    static final float NORM_STD = 0.05f;

    private final String name;
    private final ModelConfig config;
    private final long seed;
    private final List<TensorShape> tensors;
    private final Map<String, TensorShape> shapes = new HashMap<>();

    private SyntheticCheckpoint(String name, ModelConfig config, long seed) {
        this.name = name;
        this.config = config;
        this.seed = seed;
        this.tensors = List.copyOf(TensorName.all(config));
        for (TensorShape t : tensors) shapes.put(t.name(), t);
    }

    /** One of {@link #presets()}, e.g. "stories15m". */
    public static SyntheticCheckpoint of(String preset, long seed) {
        ModelConfig c = PRESETS.get(preset);
        if (c == null) {
            throw new BadInputException("unknown synthetic model '" + preset + "', expected one of " + String.join(", ", presets()));
        }
        return new SyntheticCheckpoint(preset, c, seed);
    }

    /** Any shape, for tests; {@code name} only appears in {@link #source()}. */
    public static SyntheticCheckpoint of(String name, ModelConfig config, long seed) {
        String problems = config.problems();
        if (!problems.isEmpty()) throw new IllegalArgumentException("synthetic:" + name + ": " + problems);
        return new SyntheticCheckpoint(name, config, seed);
    }

    public static List<String> presets() {
        return List.copyOf(PRESETS.keySet());
    }

    public long seed() {
        return seed;
    }

    @Override
    public String source() {
        return "synthetic:" + name;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public List<TensorShape> tensors() {
        return tensors;
    }

    @Override
    public float[] readFloat(String tensor) {
        TensorShape t = shapes.get(tensor);
        if (t == null) throw new IllegalArgumentException(source() + " has no tensor '" + tensor + "'");
        boolean norm = TensorName.isNorm(tensor);
        // sum of four uniforms on [0, 65536) has mean 131070 and standard deviation 65536 / sqrt(3)
        float scale = (float) ((norm ? NORM_STD : MATRIX_STD) * Math.sqrt(3.0) / 65536.0);
        float offset = norm ? 1f : 0f;
        long state = mix(seed * 0x9E3779B97F4A7C15L + tensor.hashCode());
        float[] out = new float[(int) t.elements()];
        for (int i = 0; i < out.length; i++) {
            state += 0x9E3779B97F4A7C15L;
            long r = mix(state);
            int sum = (int) (r & 0xFFFF) + (int) ((r >>> 16) & 0xFFFF) + (int) ((r >>> 32) & 0xFFFF) + (int) (r >>> 48);
            out[i] = offset + (sum - 131070) * scale;
        }
        return out;
    }

    /** SplitMix64's finaliser: a bijection that scrambles every input bit into every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
    }
}
