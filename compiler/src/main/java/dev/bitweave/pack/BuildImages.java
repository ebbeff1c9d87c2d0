package dev.bitweave.pack;

import dev.bitweave.board.Board;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Everything a build holds in board memory, and its manifest: the entry point the compile command
 * calls. The arrays are the exact bytes of weights.img and program.img (record equality on them is
 * identity; compare with {@link java.util.Arrays#equals}).
 *
 * @param regions every linear tensor's region, in plan order
 */
public record BuildImages(HardwareParams hardware, byte[] weights, byte[] tables, byte[] program,
                          Map<String, LayerRegion> regions, Manifest manifest) {

    /**
     * @throws BadInputException when the plan has tensors this hardware does not run, the board's bus is
     *                           unsupported, or the build does not fit the board's memory
     */
    public static BuildImages create(QuantizedModel model, Board board) {
        HardwareParams hw = HardwareParams.derive(model, board);
        WeightImagePacker.PackedWeights packed = WeightImagePacker.pack(model, hw);
        DecoderTables tables = DecoderTables.of(model, hw.bus());
        KvLayout kv = KvLayout.of(model.plan().model());
        int entries = DecoderProgram.of(model, packed.regions(), tables, 0, kv, 0, 0).size();
        int maxRows = 0;
        for (LayerRegion r : packed.regions().values()) maxRows = Math.max(maxRows, r.layout().rows());
        MemoryMap memory = MemoryMap.of(packed.image().length, tables.image().length, (long) entries * ProgramImage.ENTRY_BYTES,
                hw, maxRows, model.plan().model().vocabSize(), kv.bytes());
        byte[] program = ProgramImage.encode(DecoderProgram.of(model, packed.regions(), tables, memory.tables().base(), kv,
                memory.kv().base(), memory.logits().base()));
        if (memory.totalBytes() > board.memory().sizeBytes()) {
            throw new BadInputException("board " + board.name() + ": this build needs " + memory.totalBytes()
                    + " bytes of memory (weights.img " + packed.image().length + ", tables.img " + tables.image().length
                    + ", program.img " + program.length
                    + ", scratch " + memory.scratch().size() + "), but its " + board.memory().kind() + " holds "
                    + board.memory().sizeBytes());
        }
        CycleEstimate estimate = CycleEstimate.of(board);
        List<Manifest.Layer> layers = new ArrayList<>();
        for (LayerRegion r : packed.regions().values()) {
            layers.add(new Manifest.Layer(r.name(), r.address(), r.size(), r.layout(), estimate.expectedCycles(r.layout())));
        }
        Manifest manifest = new Manifest(Manifest.SCHEMA, Manifest.VERSION,
                new Manifest.BoardInfo(board.name(), board.part(), board.busWidthBits(), board.kernelClockMHz()), hw, estimate,
                List.of(new Manifest.Image(Manifest.WEIGHTS_IMG, memory.weights().base(), packed.image().length, crc32(packed.image())),
                        new Manifest.Image(Manifest.TABLES_IMG, memory.tables().base(), tables.image().length, crc32(tables.image())),
                        new Manifest.Image(Manifest.PROGRAM_IMG, memory.program().base(), program.length, crc32(program))),
                memory, layers);
        return new BuildImages(hw, packed.image(), tables.image(), program, packed.regions(), manifest);
    }

    static long crc32(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }
}
