package dev.bitweave.pack;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.RopeTable;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * tables.img: what the decoder units read besides the linear weights (docs/decoder.md, "Memory
 * images"): the embedding lookup table, every norm gain and the RoPE table, each starting on a
 * beat. Offsets are relative to the start of tables.img.
 *
 * @param gains offset of each norm's gain vector, by tensor name
 */
public record DecoderTables(byte[] image, long embedding, int embeddingStride, int embeddingHeader, int log2Group,
                            Map<String, Long> gains, long rope, int ropeStride) {

    public static DecoderTables of(QuantizedModel model, int bus) {
        int beat = bus / 8;
        ModelConfig c = model.plan().model();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        QuantTensor e = model.matrices().get(TensorName.TOKEN_EMBD);
        int gpr = e.groupsPerRow();
        int g = e.spec().groupSize();
        int log2Group = gpr == 1 ? LinearLayout.LOG2_PER_CHANNEL : Integer.numberOfTrailingZeros(g);
        if (gpr > 1 && Integer.bitCount(g) != 1) {
            throw new BadInputException(TensorName.TOKEN_EMBD + ": the embedding lookup needs a power-of-two group size, got " + g);
        }
        int header = align(4 * gpr, beat);
        int stride = header + align(2 * e.cols(), beat);
        long[] values = e.spec().codeValues();
        ByteBuffer row = ByteBuffer.allocate(stride).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < e.rows(); t++) {
            row.clear();
            for (int k = 0; k < gpr; k++) {
                int group = t * gpr + k;
                int m = e.mult()[group];
                int x = e.exp()[group];
                if (m < 0 || m > 0xFFFF || x < -128 || x > 127) {
                    throw new BadInputException(TensorName.TOKEN_EMBD + ": group " + group + " has scale " + m + "*2^" + x
                            + ", beyond the lookup table's 16-bit multiplier and 8-bit exponent");
                }
                row.putInt(m | (x & 0xFF) << 16);
            }
            row.position(header);
            for (int col = 0; col < e.cols(); col++) {
                int group = t * gpr + col / g;
                long d = values[e.codes()[t * e.cols() + col] & 0xFF] - (e.zero() == null ? 0 : e.zero()[group]);
                if (d < Short.MIN_VALUE || d > Short.MAX_VALUE) {
                    throw new BadInputException(TensorName.TOKEN_EMBD + ": row " + t + " column " + col + " is " + d + " in "
                            + e.spec().format().id() + " units, beyond the embedding lookup table's int16 values (docs/decoder.md);"
                            + " quantize token_embd as int or fp4 (recipe override {\"match\": \"token_embd\", \"format\": \"int\"})");
                }
                row.putShort((short) d);
            }
            out.writeBytes(row.array());
        }
        long embedding = 0;

        Map<String, Long> gains = new LinkedHashMap<>();
        for (String name : normNames(c)) {
            gains.put(name, (long) out.size());
            int[] v = model.vectors().get(name);
            ByteBuffer b = ByteBuffer.allocate(align(4 * v.length, beat)).order(ByteOrder.LITTLE_ENDIAN);
            for (int x : v) b.putInt(x);
            out.writeBytes(b.array());
        }

        long rope = out.size();
        int pairs = c.headSize() / 2;
        int ropeStride = align(8 * pairs, beat);
        RopeTable t = new RopeTable(c.headSize(), c.seqLen(), c.ropeTheta());
        ByteBuffer b = ByteBuffer.allocate(ropeStride).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < c.seqLen(); p++) {
            b.clear();
            for (int j = 0; j < pairs; j++) {
                b.putInt(t.cos(p, j));
                b.putInt(t.sin(p, j));
            }
            out.writeBytes(b.array());
        }
        return new DecoderTables(out.toByteArray(), embedding, stride, header, log2Group, gains, rope, ropeStride);
    }

    static Iterable<String> normNames(ModelConfig c) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            names.add(TensorName.attnNorm(l));
            names.add(TensorName.ffnNorm(l));
        }
        names.add(TensorName.OUTPUT_NORM);
        return names;
    }

    static int align(int v, int to) {
        return (v + to - 1) / to * to;
    }
}
