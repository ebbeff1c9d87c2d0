// Parses the simulated board's config string "key=value;key=value" (docs/board-abi.md).
// Strict on purpose: an unknown or repeated key is an error, so a typo never silently falls
// back to a default and changes the cycle counts a benchmark reports.
#ifndef BITWEAVE_SIM_CONFIG_H
#define BITWEAVE_SIM_CONFIG_H

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

namespace bwsim {

struct SimConfig {
    uint64_t memSize = 256ull << 20;  // bytes of board memory
    uint32_t latency = 32;            // cycles from AR/last W beat to first R beat/B response
    double bytesPerCycle = 0;         // 0: the full bus, BUS/8
    uint32_t maxOutstanding = 8;      // bursts in flight per direction
    uint32_t bus = 0;                 // 0: take the design's; else must match PARAMS.BUS
    std::string trace;                // FST file; empty: no tracing
    uint64_t stallReads = 0;          // fault injection: after this many read beats, reads hang until a soft reset; 0: never
};

inline std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// Unsigned integer with an optional binary suffix k/m/g (KiB, MiB, GiB).
inline bool parseSize(const std::string& v, uint64_t& out) {
    if (v.empty() || v[0] == '-') return false;
    errno = 0;
    char* end = nullptr;
    unsigned long long n = std::strtoull(v.c_str(), &end, 0);
    if (errno != 0 || end == v.c_str()) return false;
    std::string suffix = end;
    unsigned shift = 0;
    if (suffix == "k" || suffix == "K") shift = 10;
    else if (suffix == "m" || suffix == "M") shift = 20;
    else if (suffix == "g" || suffix == "G") shift = 30;
    else if (!suffix.empty()) return false;
    if (shift && n > (UINT64_MAX >> shift)) return false;
    out = n << shift;
    return true;
}

inline bool parseUint32(const std::string& v, uint32_t lo, uint32_t hi, uint32_t& out) {
    uint64_t n;
    if (!parseSize(v, n) || n < lo || n > hi) return false;
    out = static_cast<uint32_t>(n);
    return true;
}

// Returns "" on success, else the problem in one line.
inline std::string parseConfig(const char* text, SimConfig& cfg) {
    static const char* known = "mem_size, latency, bytes_per_cycle, max_outstanding, bus, trace, stall_reads";
    std::string s = text ? text : "";
    std::set<std::string> seen;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t semi = s.find(';', pos);
        if (semi == std::string::npos) semi = s.size();
        std::string item = trim(s.substr(pos, semi - pos));
        pos = semi + 1;
        if (item.empty()) continue;
        size_t eq = item.find('=');
        if (eq == std::string::npos) return "config item '" + item + "' is not key=value";
        std::string key = trim(item.substr(0, eq));
        std::string value = trim(item.substr(eq + 1));
        if (!seen.insert(key).second) return "config key '" + key + "' is given twice";
        bool ok = true;
        if (key == "mem_size") {
            ok = parseSize(value, cfg.memSize) && cfg.memSize > 0;
            if (!ok) return "mem_size='" + value + "': expected a positive byte count like 268435456 or 256M";
        } else if (key == "latency") {
            ok = parseUint32(value, 1, 1000000, cfg.latency);
            if (!ok) return "latency='" + value + "': expected cycles in 1..1000000";
        } else if (key == "bytes_per_cycle") {
            char* end = nullptr;
            errno = 0;
            cfg.bytesPerCycle = std::strtod(value.c_str(), &end);
            ok = errno == 0 && !value.empty() && *end == '\0' && std::isfinite(cfg.bytesPerCycle)
                 && cfg.bytesPerCycle > 0;
            if (!ok) return "bytes_per_cycle='" + value + "': expected a positive number (capped at BUS/8)";
        } else if (key == "max_outstanding") {
            ok = parseUint32(value, 1, 1024, cfg.maxOutstanding);
            if (!ok) return "max_outstanding='" + value + "': expected bursts in 1..1024";
        } else if (key == "bus") {
            ok = parseUint32(value, 8, 65535, cfg.bus);
            if (!ok) return "bus='" + value + "': expected the bus width in bits";
        } else if (key == "stall_reads") {
            ok = parseSize(value, cfg.stallReads) && cfg.stallReads >= 1;
            if (!ok) return "stall_reads='" + value + "': expected a positive count of read beats";
        } else if (key == "trace") {
            if (value.empty()) return "trace= needs a file path";
            cfg.trace = value;
        } else {
            return "unknown config key '" + key + "' (known: " + known + ")";
        }
    }
    return "";
}

}  // namespace bwsim

#endif
