package dev.bitweave.backend.hls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A v++ configuration file read the way v++ reads one: '#' comment lines, blank lines,
 * "[section]" headers, "key=value" lines (keys before any section are general options), and keys
 * that may repeat (sp=, nk=). Anything else is a parse failure, not something to skip.
 */
record CfgFile(Map<String, Map<String, List<String>>> sections) {
    static final String GENERAL = "";

    static CfgFile parse(String text) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        String section = GENERAL;
        sections.put(section, new LinkedHashMap<>());
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) fail("line " + (i + 1) + ": bad section header: " + line);
                section = line.substring(1, line.length() - 1).strip();
                if (sections.containsKey(section)) fail("line " + (i + 1) + ": section [" + section + "] twice");
                sections.put(section, new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) fail("line " + (i + 1) + ": expected key=value: " + line);
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) fail("line " + (i + 1) + ": bad key: " + key);
            if (value.isEmpty()) fail("line " + (i + 1) + ": empty value for " + key);
            sections.get(section).computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return new CfgFile(sections);
    }

    /** Every value of key in section (empty when absent). */
    List<String> all(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The one value of key in section; fails when absent or repeated. */
    String one(String section, String key) {
        List<String> v = all(section, key);
        if (v.size() != 1) fail("expected one " + key + " in [" + section + "], got " + v);
        return v.get(0);
    }
}
