package dev.bitweave.pack;

import java.util.List;

/**
 * manifest.json of a build (schema {@value #SCHEMA}, version {@value #VERSION}; see docs/manifest.md):
 * the board it is for, the hardware parameters the RTL is generated with, the images with their
 * addresses and checksums, the memory map, and every linear layer's region, layout and cycle figures.
 * {@link ManifestJson} reads and writes it.
 */
public record Manifest(String schema, int version, BoardInfo board, HardwareParams hardware, CycleEstimate estimate,
                       List<Image> images, MemoryMap memory, List<Layer> layers) {
    public static final String SCHEMA = "bitweave.manifest";
    public static final int VERSION = 2;
    public static final String FILE = "manifest.json";
    public static final String WEIGHTS_IMG = "weights.img";
    public static final String TABLES_IMG = "tables.img";
    public static final String PROGRAM_IMG = "program.img";

    public Manifest {
        images = List.copyOf(images);
        layers = List.copyOf(layers);
    }

    /** The board figures a build depends on. */
    public record BoardInfo(String name, String part, int busWidthBits, double kernelClockMHz) {
    }

    /**
     * One file of the build and where the host writes it.
     *
     * @param crc32 CRC-32 (java.util.zip.CRC32, as zlib and gzip compute it) of the file's bytes
     */
    public record Image(String name, long base, long size, long crc32) {
    }

    /**
     * One linear layer.
     *
     * @param expectedCycles {@link CycleEstimate}: an estimate, to be compared with measured cycles
     */
    public record Layer(String name, long address, long size, LinearLayout layout, long expectedCycles) {
    }
}
