package dev.bitweave.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `eval --text FILE`: perplexity of the plan and of the float model over a held-out text, and its bad inputs. */
class EvalTextCliTest {
    /** Written for this test, in the style of the TinyStories the model was trained on (not a training text). */
    static final String STORY = "Once upon a time, there was a little girl named Mia. She had a red ball that she loved very much. "
            + "One day, Mia went to the park with her mom. She threw the ball high in the sky and a big dog ran after it. "
            + "Mia was sad, but the dog came back and gave her the ball. Mia smiled and said, \"Thank you, dog!\" "
            + "They played together until the sun went down.";

    @TempDir
    static Path tmp;
    static Path w8;
    static Path w2;

    @BeforeAll
    static void plans() {
        w8 = tmp.resolve("w8");
        w2 = tmp.resolve("w2");
        Cli.ok("quantize", SharedModels.stories260kBin(), "--tokenizer", SharedModels.tok512(), "--recipe", "w8a8", "-o", w8);
        Cli.ok("quantize", SharedModels.stories260kBin(), "--tokenizer", SharedModels.tok512(), "--recipe", "w2a8-g16", "-o", w2);
    }

    private static JsonNode perplexity(Path plan, Path text) throws IOException {
        Cli.Result r = Cli.ok("eval", plan, "--against", SharedModels.stories260kBin(), "-n", 4, "--text", text, "--json");
        return new ObjectMapper().readTree(r.out()).get("perplexity");
    }

    @Test
    void perplexityOfPlanAndFloatOnAStory() throws IOException {
        Path text = Files.writeString(tmp.resolve("story.txt"), STORY);
        int expectedTokens = new Tokenizer(TokenizerFile.read(SharedModels.tok512(), 512)).encode(STORY, true, false).length - 1;
        JsonNode p8 = perplexity(w8, text);
        assertEquals(expectedTokens, p8.get("tokens").asInt());
        assertEquals(1, p8.get("windows").asInt());
        assertEquals(512, p8.get("windowPositions").asInt());
        double fl = p8.get("float").asDouble();
        // a story-like text is far more predictable than chance (512 tokens) for the trained model
        assertTrue(fl > 1 && fl < 20, () -> "float perplexity " + fl);
        // w8a8 tracks fp32 closely; w2a8-g16 (top-1 agreement about 0.1) is much worse
        assertEquals(fl, p8.get("plan").asDouble(), 0.05 * fl);
        JsonNode p2 = perplexity(w2, text);
        assertEquals(fl, p2.get("float").asDouble(), 1e-9);
        assertTrue(p2.get("plan").asDouble() > 1.5 * fl, () -> "w2 perplexity " + p2);

        String line = Cli.ok("eval", w8, "--against", SharedModels.stories260kBin(), "-n", 4, "--text", text).outLines()
                .stream().filter(l -> l.startsWith("perplexity on ")).findFirst().orElseThrow();
        assertTrue(line.contains(text + " (" + expectedTokens + " tokens after BOS, 1 window(s) of at most 512 positions)"), line);
    }

    @Test
    void aTextLongerThanSeqLenIsEvaluatedInWindows() throws IOException {
        String longText = (STORY + "\n").repeat(7);
        Path text = Files.writeString(tmp.resolve("long.txt"), longText);
        int scored = new Tokenizer(TokenizerFile.read(SharedModels.tok512(), 512)).encode(longText, true, false).length - 1;
        assertTrue(scored > 512, "the text must need two windows: " + scored);
        JsonNode p = perplexity(w8, text);
        assertEquals(scored, p.get("tokens").asInt());
        assertEquals((scored + 511) / 512, p.get("windows").asInt());
        // repeated text: later copies are predictable from earlier ones only within a window, never worse than once
        assertTrue(p.get("float").asDouble() < 20, p::toString);
    }

    @Test
    void missingTextFile() {
        Path text = tmp.resolve("absent.txt");
        Cli.assertMentions(Cli.badInput("eval", w8, "--against", SharedModels.stories260kBin(), "--text", text),
                text + ": no such text file");
    }

    @Test
    void emptyTextFile() throws IOException {
        Path text = Files.write(tmp.resolve("empty.txt"), new byte[0]);
        Cli.assertMentions(Cli.badInput("eval", w8, "--against", SharedModels.stories260kBin(), "--text", text),
                text + ": empty text file");
    }

    @Test
    void textThatIsNotUtf8() throws IOException {
        byte[] latin1 = "Mia's caf\u00e9 was open.".getBytes(StandardCharsets.ISO_8859_1);
        Path text = Files.write(tmp.resolve("latin1.txt"), latin1);
        Cli.assertMentions(Cli.badInput("eval", w8, "--against", SharedModels.stories260kBin(), "--text", text),
                text + ": at offset 9: not UTF-8 text");
    }

    @Test
    void textWithANulByte() throws IOException {
        Path text = Files.write(tmp.resolve("nul.txt"), "Once\0upon".getBytes(StandardCharsets.UTF_8));
        Cli.assertMentions(Cli.badInput("eval", w8, "--against", SharedModels.stories260kBin(), "--text", text),
                text + ": at offset 4: NUL byte");
    }

    @Test
    void directoryInsteadOfText() {
        Cli.assertMentions(Cli.badInput("eval", w8, "--against", SharedModels.stories260kBin(), "--text", tmp),
                tmp + ": is a directory");
    }
}
