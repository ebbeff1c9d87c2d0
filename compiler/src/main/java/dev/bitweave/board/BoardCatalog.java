package dev.bitweave.board;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The boards bitweave knows: the descriptors the {@code bitweave-boards} module packages under
 * {@value #RESOURCE_DIR}, plus any descriptor file a user names.
 *
 * <p>The packaged set is listed in {@code index.json} rather than found by scanning the
 * classpath, because a directory listing of a resource path works for exploded directories
 * but not inside jars or shaded jars; a test keeps the index and the files in step.
 */
public final class BoardCatalog {

    /** Classpath folder of the packaged descriptors. */
    public static final String RESOURCE_DIR = "bitweave/boards/";
    /** JSON array of the packaged board names. */
    public static final String INDEX = RESOURCE_DIR + "index.json";

    private BoardCatalog() {
    }

    /** Loaded on first use, once; a broken packaged descriptor is a build bug and fails loudly. */
    private static final class BuiltIn {
        static final Map<String, Board> BOARDS = loadBuiltIn();
    }

    /** Names of the packaged boards, sorted. */
    public static List<String> names() {
        return List.copyOf(BuiltIn.BOARDS.keySet());
    }

    /** The packaged boards, sorted by name. */
    public static List<Board> all() {
        return List.copyOf(BuiltIn.BOARDS.values());
    }

    /**
     * A packaged board by name.
     *
     * @throws BadInputException for an unknown name, listing the valid ones
     */
    public static Board byName(String name) {
        Board board = BuiltIn.BOARDS.get(name);
        if (board == null) {
            throw new BadInputException("unknown board '" + name + "'; valid boards: " + String.join(", ", names()));
        }
        return board;
    }

    /**
     * A user's descriptor file, validated like the packaged ones; its name must equal the file
     * name without {@code .json}.
     *
     * @throws BadInputException naming the file and the JSON path of each problem
     */
    public static Board load(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "no such file");
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString();
        String stem = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - ".json".length()) : fileName;
        return DescriptorReader.read(file.toString(), json, stem);
    }

    /**
     * What a {@code --board} option means: a descriptor file when the argument ends in
     * {@code .json}, otherwise a packaged board name.
     */
    public static Board resolve(String nameOrFile) {
        return nameOrFile.endsWith(".json") ? load(Path.of(nameOrFile)) : byName(nameOrFile);
    }

    private static Map<String, Board> loadBuiltIn() {
        String[] names;
        try {
            names = DescriptorReader.MAPPER.readValue(resource(INDEX), String[].class);
        } catch (IOException e) {
            throw new IllegalStateException(INDEX + ": " + e.getMessage(), e);
        }
        Map<String, Board> boards = new TreeMap<>();
        for (String name : names) {
            if (name == null || !Board.NAME.matcher(name).matches() || name.equals("index")) {
                throw new IllegalStateException(INDEX + ": invalid board name '" + name + "'");
            }
            String resource = RESOURCE_DIR + name + ".json";
            Board board;
            try {
                board = DescriptorReader.read(resource, resource(resource), name);
            } catch (BadInputException e) {
                // Our own packaged file: a build bug, not bad user input.
                throw new IllegalStateException(e.getMessage(), e);
            }
            if (boards.put(name, board) != null) {
                throw new IllegalStateException(INDEX + ": board '" + name + "' listed twice");
            }
        }
        return boards;
    }

    private static byte[] resource(String name) {
        try (InputStream in = BoardCatalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath; is the bitweave-boards jar missing?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }
}
