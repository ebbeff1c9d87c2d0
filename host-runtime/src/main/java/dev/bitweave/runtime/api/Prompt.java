package dev.bitweave.runtime.api;

import java.util.Arrays;
import java.util.Optional;

/** What a session continues: text (encoded with the board's tokenizer, BOS first) or token ids. */
public final class Prompt {
    private final String text;
    private final int[] ids;

    private Prompt(String text, int[] ids) {
        this.text = text;
        this.ids = ids;
    }

    /** Text to continue; empty means BOS only. */
    public static Prompt text(String text) {
        return new Prompt(text == null ? "" : text, null);
    }

    /** Token ids to continue; BOS (1) is put in front when the first id is not BOS. */
    public static Prompt ids(int... ids) {
        return new Prompt(null, ids.clone());
    }

    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public Optional<int[]> ids() {
        return ids == null ? Optional.empty() : Optional.of(ids.clone());
    }

    @Override
    public String toString() {
        return text != null ? "Prompt[\"" + text + "\"]" : "Prompt" + Arrays.toString(ids);
    }
}
