package dev.bitweave.quantize.mixed;

import dev.bitweave.quantize.Recipe;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mixedPrecision object of recipe.json: defaults, presets and validation with JSON paths. */
class MixedPrecisionRecipeTest {
    @TempDir
    Path tmp;

    private Recipe read(String json) throws IOException {
        return RecipeReader.resolve(Files.writeString(tmp.resolve("r.json"), json).toString());
    }

    private String refused(String json) throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.json"), json);
        String msg = assertThrows(BadInputException.class, () -> RecipeReader.resolve(f.toString())).getMessage();
        assertTrue(msg.startsWith(f + ": $.mixedPrecision"), msg);
        return msg;
    }

    @Test
    void defaultsAndFields() throws IOException {
        MixedPrecision m = read("{\"weights\": {\"bits\": 4, \"groupSize\": 32}, \"mixedPrecision\": {\"targetBits\": 3}}").mixedPrecision();
        assertEquals(3.0, m.targetBits());
        assertEquals(List.of(2, 3, 4, 8), m.candidates());
        assertEquals(MixedPrecision.Calibration.DEFAULT, m.calibration());
        m = read("""
                {"weights": {"bits": 4}, "mixedPrecision": {"targetBits": 2.75, "candidates": [4, 2],
                 "calibration": {"positions": 32, "temperature": 0.8, "seed": 7}}}""").mixedPrecision();
        assertEquals(List.of(2, 4), m.candidates());
        assertEquals(new MixedPrecision.Calibration(32, 0.8f, 7), m.calibration());
        assertNull(read("{\"weights\": {\"bits\": 4}}").mixedPrecision());
    }

    @Test
    void presets() {
        assertEquals(3.0, RecipeReader.resolve("mixed-3.0").mixedPrecision().targetBits());
        assertEquals(2.5, RecipeReader.resolve("mixed-2.5").mixedPrecision().targetBits());
        assertEquals(false, RecipeReader.resolve("mixed-2.5").weights().symmetric());
    }

    @Test
    void errorsNameTheJsonPath() throws IOException {
        String w = "{\"weights\": {\"bits\": 4}, \"mixedPrecision\": ";
        assertTrue(refused(w + "3}").contains("$.mixedPrecision: expected an object"));
        assertTrue(refused(w + "{}}").contains("$.mixedPrecision.targetBits: missing"));
        assertTrue(refused(w + "{\"targetBits\": \"3\"}}").contains("$.mixedPrecision.targetBits: expected a number in (0, 16]"));
        assertTrue(refused(w + "{\"targetBits\": 0}}").contains("$.mixedPrecision.targetBits"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"budget\": 1}}").contains("$.mixedPrecision.budget: unknown field"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"candidates\": [2, 5]}}")
                .contains("$.mixedPrecision.candidates[1]: 5 is not a width the hardware runs [2, 3, 4, 8]"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"candidates\": [4, 4]}}").contains("$.mixedPrecision.candidates[1]: 4 is listed twice"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"candidates\": []}}").contains("$.mixedPrecision.candidates: expected a non-empty array"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"calibration\": {\"positions\": 0}}}")
                .contains("$.mixedPrecision.calibration.positions: expected an integer in [1, 1048576], got 0"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"calibration\": {\"seed\": 0}}}").contains("$.mixedPrecision.calibration.seed"));
        assertTrue(refused(w + "{\"targetBits\": 3, \"calibration\": {\"temperature\": -1}}}")
                .contains("$.mixedPrecision.calibration.temperature"));
        assertTrue(refused("{\"weights\": {\"format\": \"fp8-e4m3\", \"groupSize\": 32}, \"mixedPrecision\": {\"targetBits\": 3}}")
                .contains("mixed precision chooses int widths"));
        assertTrue(refused("{\"weights\": {\"bits\": 4}, \"keepPreQuantized\": true, \"mixedPrecision\": {\"targetBits\": 3}}")
                .contains("cannot be combined with keepPreQuantized"));
    }
}
