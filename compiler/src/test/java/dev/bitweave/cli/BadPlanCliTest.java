package dev.bitweave.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A valid w4a8-g32 plan of stories260K, copied and damaged one way per test: `run PLAN` must exit
 * 2 with one line that names plan.json (or the directory) and the JSON path of the problem, as
 * docs/plan-format.md promises, never a stack trace or a run on bad data.
 */
class BadPlanCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path original;

    @TempDir
    Path tmp;
    private Path plan;
    private Path planJson;

    @BeforeAll
    static void quantizeOnce() {
        original = shared.resolve("w4a8-g32");
        Cli.ok("quantize", SharedModels.stories260kBin(), "--recipe", "w4a8-g32", "-o", original, "--tokenizer", SharedModels.tok512());
    }

    @BeforeEach
    void copyPlan() throws IOException {
        plan = Files.createDirectories(tmp.resolve("plan"));
        try (var s = Files.list(original)) {
            for (Path f : s.toList()) Files.copy(f, plan.resolve(f.getFileName()));
        }
        planJson = plan.resolve("plan.json");
    }

    /** The control: the undamaged copy runs, so every refusal below is caused by its one change. */
    @Test
    void theUndamagedCopyRuns() {
        Cli.ok("run", plan, "-n", 2);
    }

    @Test
    void nineBitWeights() throws IOException {
        int i = mutateTensor("blk.0.attn_q", t -> t.put("bits", 9));
        refused("$.tensors[" + i + "].bits: 9", "2..8");
    }

    /** Norm vectors (q16) have no bit width; one given there must not be ignored. */
    @Test
    void bitsOnANormVector() throws IOException {
        int i = mutateTensor("blk.0.attn_norm", t -> t.put("bits", 9));
        refused("$.tensors[" + i + "].bits: ", "q16");
    }

    @Test
    void unknownFormat() throws IOException {
        int i = mutateTensor("blk.0.attn_q", t -> t.put("format", "int7"));
        refused("$.tensors[" + i + "].format: ", "\"int7\"");
    }

    @Test
    void groupSizeZero() throws IOException {
        int i = mutateTensor("blk.0.attn_q", t -> t.put("groupSize", 0));
        refused("$.tensors[" + i + "].groupSize: 0");
    }

    @Test
    void codesPastTheEndOfTensorsBin() throws IOException {
        long size = Files.size(plan.resolve("tensors.bin"));
        int i = mutateTensor("blk.4.ffn_up", t -> ((ObjectNode) t.get("codes")).put("offset", size));
        refused("$.tensors[" + i + "].codes: ", "run past the end of tensors.bin");
    }

    /** An offset near 2^63 must not wrap offset + size around and slip past the bounds check. */
    @Test
    void codesOffsetThatOverflows() throws IOException {
        long hostile = Long.MAX_VALUE / 64 * 64;
        int i = mutateTensor("blk.4.ffn_up", t -> ((ObjectNode) t.get("codes")).put("offset", hostile));
        refused("$.tensors[" + i + "].codes: ", "run past the end of tensors.bin");
    }

    @Test
    void shapeThatIsNotTheModels() throws IOException {
        int i = mutateTensor("blk.0.ffn_down", t -> ((ArrayNode) t.get("shape")).set(1, 171));
        refused("$.tensors[" + i + "].shape: [64, 171]", "[64, 172]");
    }

    /** "../x" exists and is a perfect copy of tensors.bin: only the escape check can refuse it. */
    @Test
    void tensorsFileEscapingThePlanDirectory() throws IOException {
        Files.copy(plan.resolve("tensors.bin"), tmp.resolve("x"));
        mutate(root -> root.put("tensorsFile", "../x"));
        refused("$.tensorsFile: ", "\"../x\"");
    }

    @Test
    void missingTensorsBin() throws IOException {
        Files.delete(plan.resolve("tensors.bin"));
        refused("$.tensorsFile: tensors.bin not found");
    }

    @Test
    void missingPlanJson() throws IOException {
        Files.delete(planJson);
        String msg = Cli.badInput("run", plan, "-n", 2);
        Cli.assertMentions(msg, plan + ": ", "plan.json");
    }

    @Test
    void truncatedTensorsBin() throws IOException {
        Path bin = plan.resolve("tensors.bin");
        byte[] b = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(b, b.length - 64));
        refused("$.tensorsSize: " + b.length + " bytes", "has " + (b.length - 64));
    }

    @Test
    void duplicateTensor() throws IOException {
        int[] at = new int[1];
        mutate(root -> {
            ArrayNode ts = (ArrayNode) root.get("tensors");
            ts.add(ts.get(index(root, "blk.2.attn_k")).deepCopy());
            at[0] = ts.size() - 1;
        });
        refused("$.tensors[" + at[0] + "].name: duplicate tensor \"blk.2.attn_k\"");
    }

    @Test
    void lowRankFactorOfTheEmbedding() throws IOException {
        int[] at = new int[1];
        mutate(root -> {
            ArrayNode ts = (ArrayNode) root.get("tensors");
            ObjectNode t = ts.get(index(root, "blk.0.attn_q")).deepCopy();
            t.put("name", "token_embd.lr_a");
            ts.add(t);
            at[0] = ts.size() - 1;
        });
        refused("$.tensors[" + at[0] + "].name: \"token_embd.lr_a\" corrects \"token_embd\"", "only blk.* matrices");
    }

    @Test
    void lowRankFactorWithoutItsPartner() throws IOException {
        int[] at = new int[1];
        mutate(root -> {
            ArrayNode ts = (ArrayNode) root.get("tensors");
            ObjectNode t = ts.get(index(root, "blk.1.attn_k")).deepCopy();
            t.put("name", "blk.1.attn_k.lr_a");
            ts.add(t);
            at[0] = ts.size() - 1;
        });
        refused("$.tensors[" + at[0] + "].name: \"blk.1.attn_k.lr_a\" without its partner \"blk.1.attn_k.lr_b\"");
    }

    @Test
    void sidePathOfTheEmbedding() throws IOException {
        int[] at = new int[1];
        mutate(root -> {
            ArrayNode ts = (ArrayNode) root.get("tensors");
            ObjectNode t = ts.get(index(root, "blk.0.attn_q")).deepCopy();
            t.put("name", "token_embd.side");
            ts.add(t);
            at[0] = ts.size() - 1;
        });
        refused("$.tensors[" + at[0] + "].name: \"token_embd.side\" is the side path of \"token_embd\"", "only blk.* matrices");
    }

    @Test
    void missingTensor() throws IOException {
        mutate(root -> ((ArrayNode) root.get("tensors")).remove(index(root, "blk.3.ffn_gate")));
        refused("$.tensors: missing tensor \"blk.3.ffn_gate\"");
    }

    @Test
    void schemaVersionTwo() throws IOException {
        mutate(root -> root.put("version", 2));
        refused("$.version: ", "version 1, not 2");
    }

    @Test
    void reservedLowRankField() throws IOException {
        int i = mutateTensor("blk.1.attn_output", t -> t.putObject("lowRank").put("rank", 4));
        refused("$.tensors[" + i + "].lowRank: ", "reserved");
    }

    /** A corrupt exponent makes weights of ~10^43: refused on load, not an overflow mid-run (exit 1). */
    @Test
    void exponentThatOverflowsTheNumerics() throws IOException {
        int i = mutateTensor("token_embd", t -> t.put("tensorExponent", 127));
        refused("$.tensors[" + i + "].tensorExponent: ", "2^127");
    }

    @Test
    void planJsonThatIsNotJson() throws IOException {
        Files.writeString(planJson, Files.readString(planJson).replaceFirst("\"version\" : 1,", "\"version\" : 1,,"));
        refused("not valid JSON at line ");
    }

    /** `run PLAN -n 2` is refused with "PLAN/plan.json: " and every fragment in the message. */
    private void refused(String... fragments) {
        String msg = Cli.badInput("run", plan, "-n", 2);
        Cli.assertMentions(msg, planJson + ": ");
        Cli.assertMentions(msg, (Object[]) fragments);
    }

    private void mutate(Consumer<ObjectNode> change) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(planJson.toFile());
        change.accept(root);
        JSON.writerWithDefaultPrettyPrinter().writeValue(planJson.toFile(), root);
    }

    /** Changes one tensor's entry; returns its index, which the JSON path in the message must carry. */
    private int mutateTensor(String name, Consumer<ObjectNode> change) throws IOException {
        int[] at = new int[1];
        mutate(root -> {
            at[0] = index(root, name);
            change.accept((ObjectNode) root.get("tensors").get(at[0]));
        });
        return at[0];
    }

    private static int index(JsonNode root, String name) {
        JsonNode ts = root.get("tensors");
        for (int i = 0; i < ts.size(); i++) if (ts.get(i).get("name").asText().equals(name)) return i;
        throw new AssertionError("the base plan has no tensor " + name);
    }
}
