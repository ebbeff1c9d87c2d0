import dev.bitweave.runtime.api.Accelerator;
import dev.bitweave.runtime.api.BoardOptions;
import dev.bitweave.runtime.api.GeneratedToken;
import dev.bitweave.runtime.api.Prompt;
import dev.bitweave.runtime.api.Session;
import dev.bitweave.runtime.api.SessionOptions;
import dev.bitweave.runtime.board.Drivers;

import java.nio.file.Path;

/**
 * Generates text from a compiled build on a board, using only bitweave's public host API.
 *
 * <pre>
 * java -cp bitweave-host-runtime.jar:jna.jar:jackson-*.jar Generate.java BUILD_DIR [prompt] [sim|xrt|zynq] [driver config]
 * </pre>
 *
 * The tokenizer comes from the build (plan/tokenizer.bin), or from -Dtokenizer=FILE.
 */
public final class Generate {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Generate BUILD_DIR [prompt] [sim|xrt|zynq] [driver config]");
            System.exit(2);
        }
        String prompt = args.length > 1 ? args[1] : "Once upon a time";
        Drivers.Kind driver = Drivers.Kind.parse(args.length > 2 ? args[2] : "sim");
        BoardOptions options = BoardOptions.of(driver, args.length > 3 ? args[3] : "")
                .withProgress((image, done, total) -> System.err.printf("\rloading %s: %d / %d bytes", image, done, total));
        String tokenizer = System.getProperty("tokenizer");
        if (tokenizer != null) options = options.withTokenizer(Path.of(tokenizer));

        try (Accelerator board = Accelerator.open(Path.of(args[0]), options);
             Session session = board.session(Prompt.text(prompt), SessionOptions.greedy(64))) {
            System.err.println();
            long cycles = 0;
            int tokens = 0;
            while (session.hasNext()) {
                GeneratedToken t = session.next();
                System.out.print(t.text());
                System.out.flush();
                cycles += t.stats().cycles();
                tokens++;
            }
            System.out.println();
            System.err.printf("%d tokens, %d cycles per token, stopped: %s%n", tokens, tokens == 0 ? 0 : cycles / tokens,
                    session.stopReason());
        }
    }
}
