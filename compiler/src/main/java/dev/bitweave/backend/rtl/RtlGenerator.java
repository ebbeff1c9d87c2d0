package dev.bitweave.backend.rtl;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the Verilog sources of a build from hls-templates/rtl/*.v.ftl. */
public final class RtlGenerator {
    public static final List<String> MODULES = List.of("bitweave_top", "bw_linear", "bw_axi_reader", "bw_axi_writer", "bw_fifo", "bw_divu", "bw_scale",
            "bw_embed", "bw_norm", "bw_kvstore", "bw_attn", "bw_rope", "bw_swiglu", "bw_exp");
    private static final Configuration FREEMARKER = configuration();

    private RtlGenerator() {
    }

    private static Configuration configuration() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_33);
        c.setClassLoaderForTemplateLoading(RtlGenerator.class.getClassLoader(), "bitweave/templates/rtl");
        c.setDefaultEncoding("UTF-8");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setNumberFormat("computer");
        return c;
    }

    /** File name -> Verilog text, in a stable order. */
    public static Map<String, String> generate(ArrayShape shape, DecoderShape decoder) {
        Map<String, Object> model = RtlModel.of(shape, decoder);
        Map<String, String> files = new LinkedHashMap<>();
        for (String module : MODULES) {
            try {
                Template t = FREEMARKER.getTemplate(module + ".v.ftl");
                StringWriter w = new StringWriter();
                t.process(model, w);
                files.put(module + ".v", w.toString());
            } catch (IOException | TemplateException e) {
                throw new IllegalStateException("rendering " + module + ": " + e.getMessage(), e);
            }
        }
        return files;
    }
}
