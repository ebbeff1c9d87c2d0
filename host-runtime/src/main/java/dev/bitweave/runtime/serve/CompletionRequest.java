package dev.bitweave.runtime.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.api.SessionOptions;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The body of POST /v1/completions, validated. Every problem is a {@link BadInputException} whose
 * message names the field ("$.temperature: ..."), which the server returns with status 400.
 *
 * @param prompt      text to continue ("" = BOS only)
 * @param n           positions to run, prompt included, as `run -n` counts them; capped at seq_len
 * @param temperature 0 = greedy
 * @param topp        nucleus mass in [0, 1]
 * @param seed        xorshift seed (run.c's); 0 = the current time in seconds
 * @param stop        end after the token that completes this text
 * @param stream      server-sent events (true) or one JSON response (false)
 */
public record CompletionRequest(String prompt, int n, float temperature, float topp, long seed, Optional<String> stop,
                                boolean stream) {
    static final Set<String> FIELDS = Set.of("prompt", "n", "temperature", "topp", "seed", "stop", "stream");
    static final int DEFAULT_N = 256;

    /** Parses and validates a request body. */
    public static CompletionRequest parse(ObjectMapper json, byte[] body, int seqLen) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInputException("the body is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw new BadInputException("the body could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) throw new BadInputException("$: the body is empty; expected a JSON object");
        if (!root.isObject()) throw new BadInputException("$: expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String f = it.next().getKey();
            if (!FIELDS.contains(f)) {
                throw new BadInputException("$." + f + ": unknown field (expected prompt, n, temperature, topp, seed, stop, stream)");
            }
        }
        String prompt = text(root, "prompt", "");
        long n = integer(root, "n", Math.min(DEFAULT_N, seqLen));
        if (n < 1 || n > seqLen) throw new BadInputException("$.n: " + n + " is outside 1.." + seqLen + " (positions, prompt included; seq_len "
                + seqLen + ")");
        double temperature = number(root, "temperature", 1.0);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new BadInputException("$.temperature: " + temperature + " must be a finite number >= 0 (0 = greedy)");
        }
        double topp = number(root, "topp", 0.9);
        if (!(topp >= 0 && topp <= 1)) throw new BadInputException("$.topp: " + topp + " must be in [0, 1]");
        long seed = integer(root, "seed", 0);
        if (seed < 0) throw new BadInputException("$.seed: " + seed + " must be >= 0 (0 = the current time)");
        String stop = text(root, "stop", null);
        JsonNode s = root.get("stream");
        boolean stream = true;
        if (s != null && !s.isNull()) {
            if (!s.isBoolean()) throw new BadInputException("$.stream: expected true or false, got " + s);
            stream = s.booleanValue();
        }
        return new CompletionRequest(prompt, (int) n, (float) temperature, (float) topp, seed,
                Optional.ofNullable(stop).filter(x -> !x.isEmpty()), stream);
    }

    /** The session's options: run.c's sampler; stops at n, BOS, EOS or the stop text. */
    public SessionOptions sessionOptions() {
        long s = seed != 0 ? seed : System.currentTimeMillis() / 1000;
        return new SessionOptions(temperature, topp, s, n, true, stop);
    }

    private static String text(JsonNode root, String field, String dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw new BadInputException("$." + field + ": expected a string, got " + v);
        return v.textValue();
    }

    private static long integer(JsonNode root, String field, long dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new BadInputException("$." + field + ": expected an integer, got " + v);
        return v.longValue();
    }

    private static double number(JsonNode root, String field, double dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber()) throw new BadInputException("$." + field + ": expected a number, got " + v);
        return v.doubleValue();
    }
}
