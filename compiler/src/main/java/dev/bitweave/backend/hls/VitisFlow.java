package dev.bitweave.backend.hls;

import dev.bitweave.board.Board;
import dev.bitweave.runtime.BadInputException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import java.io.IOException;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AMD vendor flow of a build, as files under its hls/ directory: run_hls.tcl (Vitis HLS: csim,
 * csynth, cosim, export), then per host interface either vitis/compile.cfg and vitis/link.cfg
 * (v++ for an Alveo shell) or vivado/block_design.tcl (a Zynq block design to a bitstream), and a
 * README.md with the commands in order. None of these tools runs here: the files are checked by
 * tclsh with stub commands (VitisFlowTest), nothing more.
 */
public final class VitisFlow {
    /** The build's subdirectory for the HLS sources and these flow files. */
    public static final String BUILD_DIR = "hls";
    /** Vitis HLS project directory, created next to run_hls.tcl. */
    public static final String PROJECT = "bitweave_hls";
    public static final String SOLUTION = "solution";
    public static final IpId IP = new IpId("bitweave.dev", "hls", HlsKernel.TOP, "1.0");
    /** What export_design writes for v++ --link (Alveo), relative to hls/. */
    public static final String XO_FILE = HlsKernel.TOP + ".xo";
    /**
     * Flags for the kernel and test bench under Vitis HLS. The kernel is C++14, which Vitis HLS
     * 2023.2 compiles by default; saying it keeps g++ C simulation and Vitis on the same dialect.
     */
    public static final List<String> CFLAGS = List.of("-std=c++14");

    /** How the kernel reaches a host, from the board's hostInterface. */
    public enum Integration {
        /** Alveo: the kernel becomes an .xo, linked by v++ into the platform's xclbin. */
        XRT_LINK,
        /** Zynq/Kria: the kernel becomes an IP in a Vivado block design with the PS. */
        ZYNQ_BLOCK_DESIGN,
        /** No host interface (e.g. Arty): run_hls.tcl exports an IP; integrating it is the user's. */
        IP_ONLY
    }

    private static final Configuration FREEMARKER = configuration();

    private final Board board;
    private final Integration integration;

    private VitisFlow(Board board, Integration integration) {
        this.board = board;
        this.integration = integration;
    }

    /** Vitis HLS and Vivado target AMD devices only: UltraScale+ and 7-series here. */
    public static boolean supports(Board board) {
        return board.family() == Board.Family.XCUP || board.family() == Board.Family.XC7;
    }

    /**
     * @throws BadInputException when the descriptor is invalid or the board is not an AMD device,
     *                           naming the board and what is wrong, as BoardCatalog does
     */
    public static VitisFlow forBoard(Board board) {
        List<String> problems = board.problems();
        if (!problems.isEmpty()) {
            throw new BadInputException("board " + board.name() + ": " + String.join("; ", problems));
        }
        if (!supports(board)) {
            throw new BadInputException("board " + board.name() + " (" + board.part() + ", family " + board.family().yosysName()
                    + ") has no Vitis flow: Vitis HLS and Vivado target AMD xcup and xc7 devices only");
        }
        Integration integration = switch (board.hostInterface()) {
            case XRT -> Integration.XRT_LINK;
            case ZYNQ_UIO -> Integration.ZYNQ_BLOCK_DESIGN;
            case NONE -> Integration.IP_ONLY;
        };
        try {
            TclWord.require("$.part", board.part());
            if (board.platform() != null) TclWord.require("$.platform", board.platform());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("board " + board.name() + ": " + e.getMessage());
        }
        if (integration == Integration.XRT_LINK) AlveoLink.forBoard(board); // refuses a memory v++ cannot map, up front
        return new VitisFlow(board, integration);
    }

    /**
     * The hls/ files of a build for any board: the flow where there is one, otherwise only a
     * README saying why there is none, so that every build's hls/ explains itself.
     */
    public static Map<String, String> filesFor(Board board) {
        if (supports(board)) return forBoard(board).files();
        Map<String, Object> model = new HashMap<>();
        model.put("board", board);
        model.put("boardTitle", CommentText.of(board.title()));
        model.put("reason", "Vitis HLS and Vivado target AMD devices only; " + board.part() + " is of the " + board.family().yosysName()
                + " family. This build runs on the simulated board, and the rtl/ Verilog is the design to take to the device's own tools.");
        return Map.of("README.md", render("README-no-flow.md.ftl", model));
    }

    public Integration integration() {
        return integration;
    }

    /** Path relative to hls/ -> text, in a stable order. */
    public Map<String, String> files() {
        Map<String, Object> model = model();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("run_hls.tcl", render("run_hls.tcl.ftl", model));
        switch (integration) {
            case XRT_LINK -> {
                files.put("vitis/compile.cfg", render("compile.cfg.ftl", model));
                files.put("vitis/link.cfg", render("link.cfg.ftl", model));
            }
            case ZYNQ_BLOCK_DESIGN -> files.put("vivado/block_design.tcl", render("block_design.tcl.ftl", model));
            case IP_ONLY -> {
            }
        }
        files.put("README.md", render("README.md.ftl", model));
        return files;
    }

    private Map<String, Object> model() {
        KernelClock clock = new KernelClock(board.kernelClockMHz());
        Map<String, Object> m = new HashMap<>();
        m.put("board", board);
        m.put("boardTitle", CommentText.of(board.title()));
        m.put("bus", board.busWidthBits());
        m.put("clock", clock);
        m.put("integration", integration.name());
        m.put("top", HlsKernel.TOP);
        m.put("controlInterface", HlsKernel.controlInterface());
        m.put("controlBundle", HlsKernel.CONTROL_BUNDLE);
        m.put("memoryPorts", HlsKernel.MEMORY_PORTS);
        m.put("sources", HlsKernel.SOURCES);
        m.put("kernelSource", HlsKernel.SOURCE);
        m.put("testBench", HlsKernel.TEST_BENCH);
        m.put("csimStandIn", HlsKernel.CSIM_STAND_IN);
        m.put("cflags", String.join(" ", CFLAGS));
        m.put("project", PROJECT);
        m.put("solution", SOLUTION);
        m.put("ip", IP);
        m.put("xoFile", XO_FILE);
        m.put("knownSteps", FlowStep.tclNames(EnumSet.allOf(FlowStep.class)));
        m.put("defaultSteps", FlowStep.tclNames(FlowStep.DEFAULT));
        // Tcl variables, resolved when the script runs: the build directory is wherever hls/ sits then.
        m.put("tbArgv", new TestBenchArgs("$build_dir", "$tb_out", "$tb_tokens").argv());
        // The same command line as the README shows it, relative to the build directory.
        m.put("tbArgvShell", new TestBenchArgs(".", BUILD_DIR + "/" + TestBenchArgs.DEFAULT_PREFIX,
                Integer.toString(TestBenchArgs.DEFAULT_TOKENS)).argv());
        m.put("tbTokens", TestBenchArgs.DEFAULT_TOKENS);
        m.put("tbOut", TestBenchArgs.DEFAULT_PREFIX);
        // Alveo kernels are compiled for v++ (flow target vitis: AXI4 interfaces as XRT expects,
        // .xo export); elsewhere the kernel is a plain Vivado IP.
        boolean alveo = integration == Integration.XRT_LINK;
        m.put("flowTarget", alveo ? "vitis" : "vivado");
        m.put("exportFormat", alveo ? "xo" : "ip_catalog");
        if (alveo) m.put("alveo", AlveoLink.forBoard(board));
        if (integration == Integration.ZYNQ_BLOCK_DESIGN) m.put("zynq", ZynqBlockDesign.forBoard(board));
        m.put("vivadoStages", VivadoStage.tclNames());
        m.put("defaultVivadoStage", VivadoStage.DEFAULT.tclName());
        m.put("implJobs", VivadoStage.IMPL_JOBS);
        return m;
    }

    private static Configuration configuration() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_33);
        c.setClassLoaderForTemplateLoading(VitisFlow.class.getClassLoader(), "bitweave/templates/hls");
        c.setDefaultEncoding("UTF-8");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setNumberFormat("computer");
        return c;
    }

    private static String render(String template, Map<String, Object> model) {
        try {
            Template t = FREEMARKER.getTemplate(template);
            StringWriter w = new StringWriter();
            t.process(model, w);
            return w.toString();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("rendering hls/" + template + ": " + e.getMessage(), e);
        }
    }
}
