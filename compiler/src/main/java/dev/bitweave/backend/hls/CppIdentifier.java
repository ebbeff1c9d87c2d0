package dev.bitweave.backend.hls;

import java.util.Set;
import java.util.regex.Pattern;

/** Names that reach the generated C++ and the Vitis scripts: plain identifiers, never C++ keywords. */
final class CppIdentifier {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> RESERVED = Set.of("auto", "bool", "break", "case", "char", "class", "const", "continue",
            "default", "delete", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "int", "long", "new",
            "return", "short", "signed", "sizeof", "static", "struct", "switch", "template", "this", "typedef", "union",
            "unsigned", "void", "volatile", "while", "main");

    private CppIdentifier() {
    }

    /** @throws IllegalArgumentException naming {@code what} unless {@code name} is a plain, unreserved identifier */
    static String require(String what, String name) {
        if (name == null || !PLAIN.matcher(name).matches() || RESERVED.contains(name) || name.startsWith("__")) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a plain C++ identifier");
        }
        return name;
    }
}
