package dev.bitweave.runtime.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** host-runtime/examples/ compiles against the runtime alone and uses only its public API, so it cannot rot. */
class ExampleCompilesTest {
    @Test
    void examplesCompileAgainstThePublicApi(@TempDir Path out) throws Exception {
        Path example = Path.of("examples", "Generate.java");
        assertTrue(Files.isRegularFile(example), "run from host-runtime/: " + example.toAbsolutePath());
        String source = Files.readString(example);
        for (String line : source.lines().filter(l -> l.startsWith("import dev.bitweave")).toList()) {
            assertTrue(line.startsWith("import dev.bitweave.runtime.api.") || line.equals("import dev.bitweave.runtime.board.Drivers;"),
                    "the example uses only the public API: " + line);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, err, err, "-Xlint:all", "-Werror", "-d", out.toString(),
                "-cp", System.getProperty("java.class.path"), example.toString());
        assertEquals(0, rc, err.toString());
        assertTrue(Files.isRegularFile(out.resolve("Generate.class")));
        assertFalse(err.toString().contains("warning"), err.toString());
    }
}
