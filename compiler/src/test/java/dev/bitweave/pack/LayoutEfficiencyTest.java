package dev.bitweave.pack;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.quantize.Recipe;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How close weights.img comes to the roofline (plan bits / BUS) for a stories110M-shaped plan
 * (dim 768, hidden 2048, 12 layers, vocab 32000, tied), per preset and bus. Layouts depend on
 * shapes and formats only, so no weights are generated. The table goes to the test log; the
 * assertions hold the packer to within 10% of the roofline, plus, for 3-bit bit planes, the unused
 * half of the last hi beat of a row with an odd number of lo beats (half a beat per row).
 */
class LayoutEfficiencyTest {
    private static final ModelConfig STORIES110M = new ModelConfig(768, 2048, 12, 12, 12, 32000, 1024, 10000.0, 1e-5, true);

    @Test
    void stories110mLayoutsAgainstTheRoofline() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n%-11s %4s %-12s %5s %4s %3s %3s %3s %12s %12s %7s%n",
                "preset", "BUS", "tensor", "E_row", "w_s", "N", "S", "R", "roofline", "imageBeats", "over"));
        for (String preset : PackFixtures.PRESETS) {
            List<LinearShape> shapes = linearShapes(STORIES110M, preset);
            Compatibility.checkTensors(shapes);
            for (int bus : new int[]{128, 512}) {
                HardwareParams hw = HardwareParams.derive(shapes, bus);
                long roofline = 0;
                long beats = 0;
                Map<String, LinearLayout> kinds = new LinkedHashMap<>();
                for (LinearShape s : shapes) {
                    LinearLayout l = hw.layout(s);
                    roofline += l.rooflineCycles();
                    beats += l.imageBeats();
                    kinds.putIfAbsent(s.name().replaceFirst("^blk\\.\\d+\\.", ""), l);
                    assertTrue(l.imageBeats() >= l.rooflineCycles(), s.name());
                    double halfHiBeats = l.b() == 3 && l.r() % 2 == 1 ? l.rows() / 2.0 : 0;
                    assertTrue(l.imageBeats() <= 1.10 * l.rooflineCycles() + halfHiBeats, () -> preset + " BUS " + bus + " "
                            + s.name() + ": " + l.imageBeats() + " beats against a roofline of " + l.rooflineCycles());
                }
                for (Map.Entry<String, LinearLayout> e : kinds.entrySet()) {
                    LinearLayout l = e.getValue();
                    table.append(String.format(Locale.ROOT, "%-11s %4d %-12s %5d %4d %3d %3d %3d %12d %12d %6.1f%%%n",
                            preset, bus, e.getKey(), l.eRow(), l.entryBits(), l.n(), l.s(), l.r(), l.rooflineCycles(),
                            l.imageBeats(), over(l.imageBeats(), l.rooflineCycles())));
                }
                table.append(String.format(Locale.ROOT, "%-11s %4d %-12s %5s %4s %3s %3s %3s %12d %12d %6.1f%%   SCALE_BITS %d%n",
                        preset, bus, "whole model", "", "", "", "", "", roofline, beats, over(beats, roofline), hw.scaleBits()));
            }
        }
        System.out.println(table);
    }

    /**
     * w3a8-g32 (asymmetric, g32, mul-shift: 24-bit entries) as bit planes. At BUS 128, C_3 = 64: rows of
     * 768 and 2048 columns have an even R (12, 32), every hi beat is full and the image is the roofline.
     * At BUS 512, C_3 = 256: 768 columns give R = 3, so 5 code beats where the codes take 4.5 (+11.1% on
     * the codes, +8.9% with the scale beats); 2048 columns give R = 8 and 12 full beats.
     */
    @Test
    void threeBitPlanesOnStories110m() {
        List<LinearShape> shapes = linearShapes(STORIES110M, "w3a8-g32");
        HardwareParams hw128 = HardwareParams.derive(shapes, 128);
        for (LinearShape s : shapes) {
            LinearLayout l = hw128.layout(s);
            assertEquals(l.rooflineCycles(), l.imageBeats(), s.name());
            assertEquals(l.cols() * 3L, l.rowBeats() * 128L, s.name());
        }
        HardwareParams hw512 = HardwareParams.derive(shapes, 512);
        LinearLayout q = hw512.layout(shapes.stream().filter(s -> s.name().equals("blk.0.attn_q")).findFirst().orElseThrow());
        assertEquals(List.of(256, 3, 5), List.of(q.cb(), q.r(), q.rowBeats()));
        assertEquals(List.of(24, 24, 8, 9), List.of(q.eRow(), q.entryBits(), q.n(), q.s()));
        assertEquals(4320, q.rooflineCycles()); // 768 x 768 x 3 bits of codes + 768 x 24 entries of 24 bits, / 512
        assertEquals(96 * 9 + 768 * 5, q.imageBeats());
        LinearLayout down = hw512.layout(shapes.stream().filter(s -> s.name().equals("blk.0.ffn_down")).findFirst().orElseThrow());
        assertEquals(List.of(8, 12), List.of(down.r(), down.rowBeats()));
        assertEquals(down.rooflineCycles(), down.imageBeats());
        long roofline = 0;
        long beats = 0;
        for (LinearShape s : shapes) {
            roofline += hw512.layout(s).rooflineCycles();
            beats += hw512.layout(s).imageBeats();
        }
        assertEquals(802_080, roofline);
        assertEquals(861_088, beats); // +7.4%
    }

    private static List<LinearShape> linearShapes(ModelConfig c, String preset) {
        Recipe recipe = RecipeReader.resolve(preset);
        List<LinearShape> shapes = new ArrayList<>();
        for (TensorShape t : TensorName.all(c)) {
            if (!TensorName.isNorm(t.name())) {
                shapes.add(new LinearShape(t.name(), t.rows(), t.cols(), recipe.specFor(t.name()).forColumns(t.cols()), 0, 0));
            }
        }
        return shapes;
    }

    /**
     * stories260K's small, odd dimensions (64, 172, kv 32) pad rows to whole beats: shown, not held to
     * 10%. 3-bit rows of a single lo beat also take a whole hi beat, mostly empty at wide buses.
     */
    @Test
    void stories260kWholeModelOverhead() {
        ModelConfig c = new ModelConfig(64, 172, 5, 8, 4, 512, 512, 10000.0, 1e-5, true);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%-11s %4s %12s %12s %7s%n",
                "preset", "BUS", "roofline", "imageBeats", "over"));
        for (String preset : PackFixtures.PRESETS) {
            List<LinearShape> shapes = linearShapes(c, preset);
            for (int bus : PackFixtures.BUSES) {
                HardwareParams hw = HardwareParams.derive(shapes, bus);
                long roofline = 0;
                long beats = 0;
                for (LinearShape s : shapes) {
                    roofline += hw.layout(s).rooflineCycles();
                    beats += hw.layout(s).imageBeats();
                }
                assertTrue(beats >= roofline);
                table.append(String.format(Locale.ROOT, "%-11s %4d %12d %12d %6.1f%%%n", preset, bus, roofline, beats,
                        over(beats, roofline)));
            }
        }
        System.out.println(table);
    }

    private static double over(long beats, long roofline) {
        return 100.0 * (beats - roofline) / roofline;
    }
}
