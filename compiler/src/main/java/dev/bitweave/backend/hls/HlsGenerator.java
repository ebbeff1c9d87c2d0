package dev.bitweave.backend.hls;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a build's hls/ directory from hls-templates/hls/*.ftl (the kernel, its test bench, the csim ap_int.h). */
public final class HlsGenerator {
    /** Rendered templates: hls/NAME from NAME.ftl. */
    public static final List<String> SOURCES = List.of("bitweave_kernel.h", "bitweave_kernel.cpp", "bitweave_build.h", "bitweave_tb.cpp",
            "csim_board.cpp");
    /** Copied verbatim: the C-simulation stand-in of Xilinx's ap_int.h (not for Vitis). */
    public static final String AP_INT = "csim/ap_int.h";
    private static final String ROOT = "bitweave/templates/hls";
    private static final Configuration FREEMARKER = configuration();

    private HlsGenerator() {
    }

    private static Configuration configuration() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_33);
        c.setClassLoaderForTemplateLoading(HlsGenerator.class.getClassLoader(), ROOT);
        c.setDefaultEncoding("UTF-8");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setNumberFormat("computer");
        return c;
    }

    /** Relative path under hls/ -> file text, in a stable order. */
    public static Map<String, String> generate(HlsModel model) {
        Map<String, Object> m = model.templateModel();
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : SOURCES) {
            try {
                Template t = FREEMARKER.getTemplate(name + ".ftl");
                StringWriter w = new StringWriter();
                t.process(m, w);
                files.put(name, w.toString());
            } catch (IOException | TemplateException e) {
                throw new IllegalStateException("rendering " + name + ": " + e.getMessage(), e);
            }
        }
        files.put(AP_INT, apInt());
        return files;
    }

    /** The stand-in header's text (also what the ap_int tests compile). */
    public static String apInt() {
        try (InputStream in = HlsGenerator.class.getClassLoader().getResourceAsStream(ROOT + "/" + AP_INT)) {
            if (in == null) throw new IllegalStateException(ROOT + "/" + AP_INT + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
