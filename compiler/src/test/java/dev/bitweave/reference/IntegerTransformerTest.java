package dev.bitweave.reference;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pins the output bits of quantizer + integer decoder. The contract (docs/numerics.md) is what hardware must
 * match, so any change to these digests is a change of the contract and must be deliberate: update
 * the docs, the digests and every backend together.
 */
class IntegerTransformerTest {
    @TempDir
    Path tmp;

    private QuantizedModel plan(String preset) throws Exception {
        Path dir = tmp.resolve(preset);
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            new PlanQuantizer(RecipeReader.resolve(preset), p -> { }).quantize(ck, dir, false);
        }
        return PlanReader.load(dir);
    }

    /** SHA-256 over the fx logits of 32 greedy steps from BOS, and the tokens chosen. */
    private static String digest(IntegerTransformer t) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        int token = 1;
        for (int pos = 0; pos < 32; pos++) {
            t.forward(token, pos);
            int[] fx = t.logitsFx();
            ByteBuffer b = ByteBuffer.allocate(4 * fx.length);
            b.asIntBuffer().put(fx);
            md.update(b.array());
            int best = 0;
            for (int i = 1; i < fx.length; i++) if (fx[i] > fx[best]) best = i;
            token = best;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @ParameterizedTest
    @CsvSource({
            "w8a8,       ca49043a9a394623d17fcb3890b2ab10467c570147d14094556d094ca809a99b",
            "w4a8-g32,   757a49af2ceb366d879e9cf9575e1d18801e5441f6b437d55e1bea2e0e6a18ca",
            "w4a8-gse32, 63283c802c5620b34b296c9df66bf15189a0c9fb33cadc2641bb808049541de4",
            "w3a8-g32,   4e481d4b1663441ab4d2d5c37f25ff412e769ad5ff1a287b4890de04d5d8fb0a",
            "w2a8-g16,   65db3e885cf4bcaa497e79df6c00dbabdedca36ca32eb26df0a3ecfa7ad516f7",
            "fp8a8,      e46580dc7f4856812601f3630e71bb6342ac320fa24c1b741f92ace383dcb447"})
    void logitsArePinned(String preset, String expected) throws Exception {
        assertEquals(expected, digest(new IntegerTransformer(plan(preset))), preset);
    }

    @Test
    void positionsMustComeInOrder() throws Exception {
        IntegerTransformer t = new IntegerTransformer(plan("w8a8"));
        t.forward(1, 0);
        assertThrows(IllegalStateException.class, () -> t.forward(1, 5));
    }
}
