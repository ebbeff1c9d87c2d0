package dev.bitweave.cosim;

import dev.bitweave.backend.BuildCompiler;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.LayerRegion;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.ManifestJson;
import dev.bitweave.pack.MemoryMap;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimConfig;
import dev.bitweave.runtime.board.SimLibrary;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs linear layers of a build on the simulated board, cycle by cycle, and compares every
 * output bit with the Java reference on the same real activations.
 */
public final class Cosim {
    /** Memory latency assumed by the simulated board: a DRAM/HBM access of about 120 ns. */
    static final double LATENCY_NS = 120;

    public record LayerResult(String tensor, int rows, int cols, int bits, boolean match, int mismatches, int firstMismatch,
                              long cycles, long rooflineCycles, double efficiency) {
    }

    public record Report(String board, int bus, SimLibrary library, double simSeconds, long simCycles, List<LayerResult> layers) {
        public boolean allMatch() {
            return layers.stream().allMatch(LayerResult::match);
        }
    }

    private final Path build;
    private final PrintStream progress;

    public Cosim(Path build, PrintStream progress) {
        this.build = build;
        this.progress = progress;
    }

    public Report run(Optional<Set<String>> only, Optional<Path> trace) throws IOException {
        Path manifestFile = build.resolve(Manifest.FILE);
        if (!Files.isDirectory(build)) throw BadInputException.inFile(build, "build directory not found");
        if (!Files.exists(manifestFile)) throw BadInputException.inFile(build, "not a build directory (no manifest.json; run ./bitweave compile)");
        Manifest manifest = ManifestJson.read(manifestFile);
        QuantizedModel model = PlanReader.load(build.resolve(BuildCompiler.PLAN_DIR));
        Board board = BoardCatalog.byName(manifest.board().name());
        byte[] weights = readImage(manifest, Manifest.WEIGHTS_IMG);
        Map<String, LayerVectors.Vector> vectors = LayerVectors.capture(model, 3);
        if (only.isPresent()) {
            for (String name : only.get()) {
                if (manifest.layers().stream().noneMatch(l -> l.name().equals(name))) {
                    throw new BadInputException("--layers: no linear layer '" + name + "' in " + build + " (see manifest.json)");
                }
            }
        }
        SimLibrary lib = SimBoardBuilder.forRtl(build.resolve(BuildCompiler.RTL_DIR)).progress(progress).tracing(trace.isPresent()).build();
        MemoryMap mem = manifest.memory();
        int bus = manifest.hardware().bus();
        double bytesPerCycle = Math.min(bus / 8.0, board.memory().peakBandwidthBytesPerSecond() / (board.kernelClockMHz() * 1e6));
        int latency = (int) Math.round(LATENCY_NS * board.kernelClockMHz() / 1000);
        SimConfig cfg = SimConfig.DEFAULT.withMemBytes(mem.totalBytes()).withLatency(latency).withBytesPerCycle(bytesPerCycle);
        if (trace.isPresent()) cfg = cfg.withTrace(trace.get());
        List<LayerResult> results = new ArrayList<>();
        long t0 = System.nanoTime();
        long simCycles = 0;
        try (var hw = lib.open(cfg)) {
            hw.memWrite(mem.weights().base(), weights);
            for (Manifest.Layer layer : manifest.layers()) {
                if (only.isPresent() && !only.get().contains(layer.name())) continue;
                LayerVectors.Vector v = vectors.get(layer.name());
                LayerRegion region = new LayerRegion(layer.name(), layer.address(), layer.size(), layer.layout());
                int rows = layer.layout().rows();
                byte[] act = ActivationBlock.encode(v.input(), bus);
                hw.memWrite(mem.activation().base(), act);
                byte[] program = ProgramImage.encode(List.of(
                        new ProgramImage.LoadAct(v.input().codes().length, mem.activation().base()),
                        ProgramImage.Linear.of(region),
                        new ProgramImage.StoreVec(rows, mem.output().base()),
                        new ProgramImage.End()));
                hw.memWrite(mem.program().base(), program); // the test program stands in for program.img
                hw.regWrite(BoardRegisters.PROG_LO, (int) mem.program().base());
                hw.regWrite(BoardRegisters.PROG_HI, (int) (mem.program().base() >>> 32));
                hw.regWrite(BoardRegisters.STATS_LO, (int) mem.stats().base());
                hw.regWrite(BoardRegisters.STATS_HI, (int) (mem.stats().base() >>> 32));
                long before = hw.cycles();
                hw.start();
                hw.waitDone(100L * layer.expectedCycles() + 1_000_000L, 600_000);
                simCycles += hw.cycles() - before;
                int status = hw.regRead(BoardRegisters.STATUS);
                if ((status & 4) != 0) {
                    throw new IOException(layer.name() + ": the board reported error " + hw.regRead(BoardRegisters.ERROR)
                            + " at program entry " + hw.regRead(BoardRegisters.PC));
                }
                int[] got = ActivationBlock.decodeOutput(hw.memRead(mem.output().base(), ActivationBlock.outputBytes(rows, bus)), 0, rows);
                int mismatches = 0;
                int first = -1;
                for (int r = 0; r < rows; r++) {
                    if (got[r] != v.output()[r]) {
                        if (first < 0) first = r;
                        mismatches++;
                    }
                }
                int slot = MemoryMap.statsSlotBytes(bus);
                long cycles = ByteBuffer.wrap(hw.memRead(mem.stats().base() + slot, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
                long roof = layer.layout().rooflineCycles();
                LayerResult res = new LayerResult(layer.name(), rows, layer.layout().cols(), layer.layout().bits(), mismatches == 0,
                        mismatches, first, cycles, roof, cycles == 0 ? 0 : roof / (double) cycles);
                results.add(res);
                progress.printf("cosim %-20s %s cycles %d roofline %d efficiency %.3f%n", layer.name(),
                        res.match() ? "match" : "MISMATCH(" + mismatches + " rows, first " + first + ")", cycles, roof, res.efficiency());
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Report(board.name(), bus, lib, secs, simCycles, results);
    }

    /** The image, refused unless its CRC-32 is the one the manifest recorded. */
    private byte[] readImage(Manifest m, String name) throws IOException {
        Path f = build.resolve(name);
        if (!Files.exists(f)) throw BadInputException.inFile(build, name + " missing");
        byte[] data = Files.readAllBytes(f);
        Manifest.Image img = m.images().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> BadInputException.inFile(build.resolve(Manifest.FILE), "$.images: no entry for " + name));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        if (crc.getValue() != img.crc32() || data.length != img.size()) {
            throw BadInputException.inFile(f, String.format("CRC-32 %08x over %d bytes, but manifest.json records %08x over %d bytes: "
                    + "the image is corrupt or from another build", crc.getValue(), data.length, img.crc32(), img.size()));
        }
        return data;
    }
}
