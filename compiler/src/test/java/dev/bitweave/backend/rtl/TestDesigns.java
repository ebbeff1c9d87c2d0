package dev.bitweave.backend.rtl;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The small Verilog designs under src/test/resources/verilog, one module per file named after it. */
final class TestDesigns {

    private TestDesigns() {
    }

    static Path verilog(String module) {
        URL url = TestDesigns.class.getResource("/verilog/" + module + ".v");
        if (url == null) throw new IllegalArgumentException("no test design " + module);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
