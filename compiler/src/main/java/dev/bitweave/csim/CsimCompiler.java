package dev.bitweave.csim;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.Drivers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a build's hls/ (kernel + test bench, with the csim ap_int.h) into the C-simulation
 * executable with g++, through the drivers' compile cache ({@link Drivers#compile}): keyed by
 * the sources, the compiler's version and the command, built in a temporary directory and
 * renamed into place, so the same build compiles once and never leaves half an executable.
 */
public final class CsimCompiler {
    /** The flags the generated C++ must pass: warnings are errors. */
    public static final List<String> FLAGS = List.of("-std=c++14", "-Wall", "-Wextra", "-Werror", "-O2");
    static final String EXECUTABLE = "bitweave_tb";
    /** What the test bench is compiled from; csim/ap_int.h lands next to the others. */
    private static final List<String> SOURCES = List.of("bitweave_kernel.h", "bitweave_kernel.cpp", "bitweave_build.h",
            "bitweave_tb.cpp", "csim/ap_int.h");

    private final Drivers drivers;

    public CsimCompiler(Drivers drivers) {
        this.drivers = drivers;
    }

    /** The standard cache root; "building ..." goes to progress when g++ really runs. */
    public static CsimCompiler standard(PrintStream progress) {
        return new CsimCompiler(Drivers.create().progress(progress));
    }

    /** @throws BadInputException when hls/ is missing or incomplete */
    public Drivers.Compiled build(Path hls) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String n : SOURCES) {
            Path f = hls.resolve(n);
            if (!Files.isRegularFile(f)) {
                throw BadInputException.inFile(hls, "no " + n + ": recompile the build with ./bitweave compile");
            }
            files.put(n, Files.readAllBytes(f));
        }
        List<String> args = new ArrayList<>(FLAGS);
        args.addAll(List.of("-I.", "bitweave_kernel.cpp", "bitweave_tb.cpp", "-o", EXECUTABLE));
        return drivers.compile("C simulation test bench", "csim-tb", files, args, EXECUTABLE);
    }
}
