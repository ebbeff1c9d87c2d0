package dev.bitweave.runtime.board;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The xrt driver where XRT is absent: its sources export with their build script, it compiles
 * warning-free against the declaration-only stand-in of XRT's C API, it calls exactly the XRT
 * functions the stand-in declares, and asking for the library without XRT says what to install.
 * It is not run on an Alveo card here (docs/board-abi.md).
 */
class XrtShimCompileTest {
    @TempDir
    Path dir;

    static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + out);
        return out;
    }

    @Test
    void shimCompilesWarningFreeAgainstTheStandInAndUsesOnlyWhatItDeclares() throws Exception {
        Path script = Drivers.exportXrtSources(dir);
        for (String f : List.of("xrt_board.cpp", "xrt_stand_in.h", "bw_driver_common.h", "bw_driver_abi.h", "bitweave_board.h",
                "build_xrt_driver.sh")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(script));
        run(dir, List.of("sh", "-n", script.toString()));

        List<String> cmd = new ArrayList<>(List.of("g++"));
        cmd.addAll(Drivers.CXXFLAGS.stream().filter(f -> !f.equals("-shared") && !f.startsWith("-Wl,")).toList());
        cmd.addAll(List.of("-Wpedantic", "-I.", "-c", "xrt_board.cpp", "-o", "xrt_board.o"));
        String out = run(dir, cmd);
        assertTrue(out.isBlank(), "no diagnostics expected:\n" + out);

        // The undefined xrt* symbols of the object are exactly the functions the stand-in declares.
        Set<String> undefined = new TreeSet<>();
        for (String line : run(dir, List.of("nm", "-u", "xrt_board.o")).split("\n")) {
            String sym = line.strip().replaceFirst("^U\\s+", "");
            if (sym.startsWith("xrt")) undefined.add(sym);
        }
        Set<String> declared = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(xrt[A-Za-z]+)\\(").matcher(Files.readString(dir.resolve("xrt_stand_in.h")));
        while (m.find()) declared.add(m.group(1));
        assertEquals(declared, undefined);
        assertEquals(16, declared.size(), declared.toString());
    }

    @Test
    void withoutXrtTheLibraryRequestSaysWhatToInstall() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Drivers.create().xrtRoot(dir.resolve("no-xrt")).xrtLibrary());
        assertTrue(e.getMessage().startsWith("XRT not found at " + dir.resolve("no-xrt")), e.getMessage());
        assertTrue(e.getMessage().contains("install XRT"), e.getMessage());
        BadInputException open = assertThrows(BadInputException.class,
                () -> Drivers.create().xrtRoot(dir.resolve("no-xrt")).open(Drivers.Kind.XRT, null, ""));
        assertTrue(open.getMessage().contains("XRT not found"), open.getMessage());
    }

    @Test
    void driverNamesParse() {
        assertEquals(Drivers.Kind.ZYNQ, Drivers.Kind.parse(" Zynq "));
        assertEquals(Drivers.Kind.SIM, Drivers.Kind.parse("sim"));
        assertEquals("xrt", Drivers.Kind.parse("xrt").id());
        BadInputException e = assertThrows(BadInputException.class, () -> Drivers.Kind.parse("alveo"));
        assertEquals("unknown board driver 'alveo': expected sim, xrt or zynq (or csim: the HLS kernel in C simulation)", e.getMessage());
    }

    @Test
    void aMissingCompilerSaysWhatToInstall() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Drivers.create().compiler("g++-not-installed-here").zynqLibrary());
        assertTrue(e.getMessage().startsWith("g++-not-installed-here not found"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install g++"), e.getMessage());
    }
}
