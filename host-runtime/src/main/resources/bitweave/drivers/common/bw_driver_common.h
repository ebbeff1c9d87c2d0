// Shared by the real-board drivers (zynq, xrt): the config string parser and the register
// protocol every bitweave kernel speaks (docs/hardware.md, docs/board-abi.md). A driver
// supplies only raw register and memory access (class Device); this file does the rest, so
// the two drivers cannot drift apart in how they start, wait, reset or set MEM_BASE.
#ifndef BITWEAVE_DRIVER_COMMON_H
#define BITWEAVE_DRIVER_COMMON_H

#include "bitweave_board.h"

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace bwdrv {

// Register offsets beyond the ABI header's (docs/hardware.md, "Register map").
constexpr uint32_t kRegProgLo = 0x10, kRegProgHi = 0x14, kRegStatsLo = 0x18, kRegStatsHi = 0x1C;
constexpr uint32_t kRegCyclesLo = 0x28, kRegCyclesHi = 0x2C;
// The kernel adds MEM_BASE to every memory address it issues (program fetch, stats, and the
// addresses inside program entries), so the driver writes the buffer's bus address here once
// and every address the host uses stays an offset in the buffer.
constexpr uint32_t kRegMemBaseLo = 0x44, kRegMemBaseHi = 0x48;
constexpr uint32_t kRegWindow = 0x100;  // every bitweave register lies below this offset
// A CONTROL pulse must read back as 0 within this time (at once on hardware, where CONTROL
// always reads 0; the read also flushes the posted write).
constexpr int kAckMillis = 2000;

inline std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

inline std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// "key=value;key=value" into a map. Unknown or repeated keys are errors (returned text).
inline std::string parseConfig(const char* text, const std::vector<std::string>& known,
                               std::map<std::string, std::string>& out) {
    std::string s = text ? text : "";
    std::string knownList;
    for (const auto& k : known) knownList += (knownList.empty() ? "" : ", ") + k;
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
        bool ok = false;
        for (const auto& k : known) ok = ok || k == key;
        if (!ok) return "unknown config key '" + key + "' (known: " + knownList + ")";
        if (out.count(key)) return "config key '" + key + "' is given twice";
        if (value.empty()) return "config key '" + key + "' has an empty value";
        out[key] = value;
    }
    return "";
}

// Unsigned integer (decimal or 0x hex) with an optional binary suffix k/m/g.
inline bool parseSize(const std::string& v, uint64_t& out) {
    if (v.empty() || v[0] == '-' || v[0] == '+') return false;
    errno = 0;
    char* end = nullptr;
    unsigned long long n = std::strtoull(v.c_str(), &end, 0);
    if (errno != 0 || end == v.c_str()) return false;
    std::string suffix = trim(end);
    unsigned shift = 0;
    if (suffix == "k" || suffix == "K") shift = 10;
    else if (suffix == "m" || suffix == "M") shift = 20;
    else if (suffix == "g" || suffix == "G") shift = 30;
    else if (!suffix.empty()) return false;
    if (shift && n > (UINT64_MAX >> shift)) return false;
    out = static_cast<uint64_t>(n) << shift;
    return true;
}

// The hardware behind a driver: raw 32-bit registers and a linear memory of size() bytes
// whose offset 0 the kernel sees at bus address base().
class Device {
public:
    virtual ~Device() = default;
    virtual int rawRead(uint32_t offset, uint32_t& value) = 0;
    virtual int rawWrite(uint32_t offset, uint32_t value) = 0;
    // [addr, addr + len) is already checked against size().
    virtual int copyIn(uint64_t addr, const void* src, uint64_t len) = 0;
    virtual int copyOut(uint64_t addr, void* dst, uint64_t len) = 0;
    // Called before a start and after done, for drivers whose memory needs explicit syncs.
    virtual int toDevice() { return BW_OK; }
    virtual int fromDevice() { return BW_OK; }
    virtual uint64_t size() const = 0;
    virtual uint64_t base() const = 0;
    // Where the registers are, for messages ("/dev/uio0", "xrt device 0 kernel bitweave_top").
    virtual std::string where() const = 0;

    std::string lastError;
    // The design behind the registers (config key design=rtl|hls): KernelView translates for hls.
    bool hlsKernel = false;
    // PARAMS of an hls design (config key params=): Vitis's map has no room for it.
    uint32_t hlsParams = 0;

    int fail(int code, const std::string& message) {
        lastError = message;
        return code;
    }
};

// design=rtl|hls and params=N, the keys every real driver accepts (after its own).
inline std::string applyDesign(const std::map<std::string, std::string>& cfg, Device& d) {
    auto it = cfg.find("design");
    if (it != cfg.end()) {
        if (it->second != "rtl" && it->second != "hls") return "design='" + it->second + "': expected rtl or hls";
        d.hlsKernel = it->second == "hls";
    }
    it = cfg.find("params");
    if (it != cfg.end()) {
        uint64_t v = 0;
        if (!d.hlsKernel) return "params= applies to design=hls only (an rtl design has its PARAMS register)";
        if (!parseSize(it->second, v) || v > 0xFFFFFFFFull) return "params='" + it->second + "': expected a 32-bit number";
        d.hlsParams = static_cast<uint32_t>(v);
    } else if (d.hlsKernel) {
        return "design=hls needs params=N, the build's PARAMS value (the host runtime passes it from manifest.json)";
    }
    return "";
}

// The kernel's registers as docs/hardware.md maps them. An RTL design has that map itself. The HLS
// kernel (docs/hardware.md, "The HLS kernel's register map") keeps 0x10..0x48, but Vitis puts its
// ap_ctrl_hs block at 0x00..0x0C (start, done, idle) and the outputs PC, ERROR, ARGMAX and
// ARGMAX_VALUE at 0x50..0x68, and it has no ID, PARAMS, cycle counter or soft reset. This view
// translates, so Protocol and the host see one map whichever design was built.
class KernelView : public Device {
public:
    explicit KernelView(Device& inner) : in_(inner) {}

    int rawRead(uint32_t offset, uint32_t& value) override {
        if (!in_.hlsKernel) return pass(in_.rawRead(offset, value));
        uint32_t ctrl = 0;
        switch (offset) {
            case BW_REG_ID: {
                int rc = pass(in_.rawRead(kApCtrl, ctrl));
                // an ap_ctrl_hs word has only its four low bits (and ap_continue's) defined
                value = (ctrl & ~0x1Fu) == 0 ? BW_ID_VALUE : ctrl;
                return rc;
            }
            case BW_REG_PARAMS: value = in_.hlsParams; return BW_OK;
            case BW_REG_CONTROL: value = 0; return BW_OK;  // a start is taken at once (ap_start is ours to set)
            case BW_REG_STATUS: {
                int rc = pass(in_.rawRead(kApCtrl, ctrl));
                if (rc != BW_OK) return rc;
                if (ctrl & kApDone) done_ = true;  // ap_done clears on read: remember it
                uint32_t err = 0;
                if (done_) {
                    rc = pass(in_.rawRead(kHlsError, err));
                    if (rc != BW_OK) return rc;
                }
                value = (started_ && !done_ ? BW_STATUS_BUSY : 0u) | (done_ ? BW_STATUS_DONE : 0u) |
                        (done_ && err != 0 ? BW_STATUS_ERROR : 0u);
                return BW_OK;
            }
            case BW_REG_PC: return pass(in_.rawRead(kHlsPc, value));
            case BW_REG_ERROR: return pass(in_.rawRead(kHlsError, value));
            case kRegCyclesLo:
            case kRegCyclesHi: value = 0; return BW_OK;
            case kRegArgmax: return pass(in_.rawRead(kHlsArgmax, value));
            case kRegArgmaxValue: return pass(in_.rawRead(kHlsArgmaxValue, value));
            default: return pass(in_.rawRead(offset, value));
        }
    }

    int rawWrite(uint32_t offset, uint32_t value) override {
        if (!in_.hlsKernel) return pass(in_.rawWrite(offset, value));
        if (offset == BW_REG_CONTROL) {
            if (value & BW_CONTROL_SOFT_RESET) {
                return fail(BW_ERR_ARGUMENT, in_.where() + ": an HLS kernel has no soft reset (Vitis's ap_ctrl_hs "
                                                           "block has none); reload the bitstream to reset it");
            }
            if (!(value & BW_CONTROL_START)) return BW_OK;
            done_ = false;
            started_ = true;
            return pass(in_.rawWrite(kApCtrl, kApStart));
        }
        if (offset == kRegMemBaseLo) {
            // The kernel adds MEM_BASE to every address, so its m_axi base registers stay 0.
            for (uint32_t p : {kHlsWmem, kHlsKvmem, kHlsIomem}) {
                int rc = pass(in_.rawWrite(p, 0));
                if (rc == BW_OK) rc = pass(in_.rawWrite(p + 4, 0));
                if (rc != BW_OK) return rc;
            }
        }
        return pass(in_.rawWrite(offset, value));
    }

    int copyIn(uint64_t addr, const void* src, uint64_t len) override { return pass(in_.copyIn(addr, src, len)); }
    int copyOut(uint64_t addr, void* dst, uint64_t len) override { return pass(in_.copyOut(addr, dst, len)); }
    int toDevice() override { return pass(in_.toDevice()); }
    int fromDevice() override { return pass(in_.fromDevice()); }
    uint64_t size() const override { return in_.size(); }
    uint64_t base() const override { return in_.base(); }
    std::string where() const override { return in_.where() + (in_.hlsKernel ? " (HLS kernel)" : ""); }

private:
    static constexpr uint32_t kApCtrl = 0x00, kApStart = 0x1, kApDone = 0x2;
    static constexpr uint32_t kRegArgmax = 0x38, kRegArgmaxValue = 0x3C;
    static constexpr uint32_t kHlsPc = 0x50, kHlsError = 0x58, kHlsArgmax = 0x60, kHlsArgmaxValue = 0x68;
    static constexpr uint32_t kHlsWmem = 0x80, kHlsKvmem = 0x90, kHlsIomem = 0xA0;

    Device& in_;
    bool done_ = false;
    bool started_ = false;

    // The inner device's message becomes this view's, the one bw_last_error reports.
    int pass(int rc) {
        if (rc != BW_OK) lastError = in_.lastError;
        return rc;
    }
};

// The ABI on top of a Device: board addresses are offsets in the device memory, and so are
// PROG_*, STATS_* and every address inside a program, because MEM_BASE holds the memory's bus
// address (written at open). docs/board-abi.md, "Real boards".
class Protocol {
public:
    explicit Protocol(Device& dev) : dev_(dev) {}

    // After checkId: points the kernel at the buffer. Writing MEM_BASE drops the kernel's cached
    // program, which is what a fresh open wants. A design without MEM_BASE ignores the write and
    // reads the register as 0; it is refused unless the buffer happens to sit at bus address 0.
    int setMemBase() {
        int rc = writeMemBase();
        if (rc != BW_OK) return rc;
        uint64_t held = 0;
        rc = readMemBase(held);
        if (rc != BW_OK) return rc;
        if (held != dev_.base()) {
            return dev_.fail(BW_ERR_DEVICE, dev_.where() + ": MEM_BASE (registers 0x44/0x48) reads " + hex(held) +
                                                " after writing the buffer's bus address " + hex(dev_.base()) +
                                                ": the loaded bitstream predates MEM_BASE; rebuild it with this "
                                                "version of bitweave");
        }
        return BW_OK;
    }

    int checkId() {
        uint32_t id = 0;
        int rc = dev_.rawRead(BW_REG_ID, id);
        if (rc != BW_OK) return rc;
        if (id != BW_ID_VALUE) {
            return dev_.fail(BW_ERR_DEVICE, dev_.where() + ": ID register reads " + hex(id) + ", expected " +
                                                hex(BW_ID_VALUE) + " (\"BWV1\"): this is not a bitweave design; "
                                                "load the bitweave bitstream or check the device path");
        }
        return BW_OK;
    }

    int memWrite(uint64_t addr, const void* src, uint64_t len) {
        if (len != 0 && !src) return dev_.fail(BW_ERR_ARGUMENT, "bw_mem_write: src is null");
        int rc = range("bw_mem_write", addr, len);
        return rc != BW_OK ? rc : (len ? dev_.copyIn(addr, src, len) : BW_OK);
    }

    int memRead(uint64_t addr, void* dst, uint64_t len) {
        if (len != 0 && !dst) return dev_.fail(BW_ERR_ARGUMENT, "bw_mem_read: dst is null");
        int rc = range("bw_mem_read", addr, len);
        return rc != BW_OK ? rc : (len ? dev_.copyOut(addr, dst, len) : BW_OK);
    }

    int regWrite(uint32_t offset, uint32_t value) {
        int rc = checkOffset("bw_reg_write", offset);
        if (rc != BW_OK) return rc;
        if (offset == BW_REG_CONTROL) {
            if (value & BW_CONTROL_SOFT_RESET) return softReset();
            if (value & BW_CONTROL_START) return start();
            return dev_.rawWrite(offset, value);
        }
        if (offset == kRegMemBaseLo || offset == kRegMemBaseHi) {
            // The driver owns MEM_BASE: with another value, board addresses would no longer be
            // offsets in the buffer and the range checks would guard the wrong memory.
            uint32_t mine = static_cast<uint32_t>(offset == kRegMemBaseLo ? dev_.base() : dev_.base() >> 32);
            if (value != mine) {
                return dev_.fail(BW_ERR_ARGUMENT, std::string("bw_reg_write: MEM_BASE_") +
                                                      (offset == kRegMemBaseLo ? "LO" : "HI") + " = " + hex(value) +
                                                      " refused: the driver keeps MEM_BASE at the buffer's bus address " +
                                                      hex(dev_.base()) + " (board addresses are offsets in the buffer)");
            }
        }
        return dev_.rawWrite(offset, value);
    }

    int regRead(uint32_t offset, uint32_t& value) {
        int rc = checkOffset("bw_reg_read", offset);
        if (rc != BW_OK) return rc;
        return dev_.rawRead(offset, value);
    }

    int start() {
        // The kernel must not run on memory outside the buffer: it would read or overwrite
        // whatever the bus maps there (on a Zynq, the Linux kernel's own memory). PROG and STATS
        // are checked here; the addresses inside the program are the program's business.
        int rc = checkOffsetRegister(kRegProgLo, "PROG");
        if (rc == BW_OK) rc = checkOffsetRegister(kRegStatsLo, "STATS");
        if (rc == BW_OK) rc = keepMemBase();
        if (rc == BW_OK) rc = dev_.toDevice();
        if (rc == BW_OK) rc = dev_.rawWrite(BW_REG_CONTROL, BW_CONTROL_START);
        return rc != BW_OK ? rc : acknowledge("start");
    }

    int softReset() {
        int rc = dev_.rawWrite(BW_REG_CONTROL, BW_CONTROL_SOFT_RESET);
        if (rc == BW_OK) rc = acknowledge("soft reset");
        // A soft reset keeps MEM_BASE (only a hard reset clears it); keepMemBase checks that.
        return rc != BW_OK ? rc : keepMemBase();
    }

    int wait(uint64_t timeoutMs, unsigned pollMicros) {
        auto t0 = std::chrono::steady_clock::now();
        for (unsigned spins = 0;; spins++) {
            uint32_t status = 0;
            int rc = dev_.rawRead(BW_REG_STATUS, status);
            if (rc != BW_OK) return rc;
            if (status & BW_STATUS_ERROR) {
                uint32_t err = 0, pc = 0;
                dev_.rawRead(BW_REG_ERROR, err);
                dev_.rawRead(BW_REG_PC, pc);
                return dev_.fail(BW_ERR_DEVICE, dev_.where() + ": the kernel reports an error: STATUS " +
                                                    hex(status) + ", ERROR " + std::to_string(err) + " (" +
                                                    errorName(err) + "), at program entry PC " + std::to_string(pc));
            }
            if (status & BW_STATUS_DONE) return dev_.fromDevice();
            auto elapsed = std::chrono::steady_clock::now() - t0;
            uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
            if (timeoutMs != 0 && ms >= timeoutMs) {
                uint32_t pc = 0, clo = 0, chi = 0;
                dev_.rawRead(BW_REG_PC, pc);
                dev_.rawRead(kRegCyclesLo, clo);
                dev_.rawRead(kRegCyclesHi, chi);
                uint64_t cycles = (static_cast<uint64_t>(chi) << 32) | clo;
                return dev_.fail(BW_TIMEOUT, dev_.where() + ": bw_wait timed out after " + std::to_string(ms) +
                                                 " ms: STATUS " + hex(status) + ", PC " + std::to_string(pc) +
                                                 ", CYCLES " + std::to_string(cycles) +
                                                 "; wait again or soft-reset the board");
            }
            // Spin briefly (short runs finish within microseconds), then sleep between polls.
            if (spins < 64 || pollMicros == 0) {
                std::this_thread::yield();
            } else {
                std::this_thread::sleep_for(std::chrono::microseconds(pollMicros));
            }
        }
    }

private:
    Device& dev_;

    int writeMemBase() {
        int rc = dev_.rawWrite(kRegMemBaseLo, static_cast<uint32_t>(dev_.base()));
        return rc != BW_OK ? rc : dev_.rawWrite(kRegMemBaseHi, static_cast<uint32_t>(dev_.base() >> 32));
    }

    int readMemBase(uint64_t& out) {
        uint32_t l = 0, h = 0;
        int rc = dev_.rawRead(kRegMemBaseLo, l);
        if (rc == BW_OK) rc = dev_.rawRead(kRegMemBaseHi, h);
        out = (static_cast<uint64_t>(h) << 32) | l;
        return rc;
    }

    // MEM_BASE must still hold the buffer's bus address. Only a hard reset of the kernel (the
    // programmable logic reset or reloaded under this handle) clears it; then it is written
    // again. It is not rewritten when it holds the right value, because every write of MEM_BASE
    // drops the kernel's cached program.
    int keepMemBase() {
        uint64_t held = 0;
        int rc = readMemBase(held);
        if (rc != BW_OK || held == dev_.base()) return rc;
        return setMemBase();
    }

    static const char* errorName(uint32_t err) {
        switch (err) {
            case 0: return "none";
            case 1: return "unknown op";
            case 2: return "bad field";
            case 3: return "a cached program ran past PROG_LEN";
            default: return "undocumented code";
        }
    }

    int checkOffset(const char* what, uint32_t offset) {
        if (offset >= kRegWindow || (offset & 3) != 0) {
            return dev_.fail(BW_ERR_ARGUMENT, std::string(what) + ": register offset " + hex(offset) +
                                                  " is not a 4-byte aligned offset below 0x100");
        }
        return BW_OK;
    }

    int range(const char* what, uint64_t addr, uint64_t len) {
        uint64_t size = dev_.size();
        if (addr > size || len > size - addr) {
            return dev_.fail(BW_ERR_RANGE, std::string(what) + ": [" + hex(addr) + ", " + hex(addr) + " + " +
                                               std::to_string(len) + ") is outside board memory (" +
                                               std::to_string(size) + " bytes of " + dev_.where() + ")");
        }
        return BW_OK;
    }

    // The 64-bit register pair at lo holds an offset from MEM_BASE; it must lie inside the buffer.
    int checkOffsetRegister(uint32_t lo, const char* name) {
        uint32_t l = 0, h = 0;
        int rc = dev_.rawRead(lo, l);
        if (rc == BW_OK) rc = dev_.rawRead(lo + 4, h);
        if (rc != BW_OK) return rc;
        uint64_t offset = (static_cast<uint64_t>(h) << 32) | l;
        if (offset >= dev_.size()) {
            return dev_.fail(BW_ERR_RANGE, std::string("bw_start: ") + name + " holds offset " + hex(offset) +
                                               ", outside the board memory (" + std::to_string(dev_.size()) +
                                               " bytes of " + dev_.where() + "); write " + name +
                                               "_LO/HI with an offset below the memory size");
        }
        return BW_OK;
    }

    // A CONTROL pulse reads back as 0 once the device has taken it.
    int acknowledge(const char* what) {
        auto t0 = std::chrono::steady_clock::now();
        for (;;) {
            uint32_t control = 0;
            int rc = dev_.rawRead(BW_REG_CONTROL, control);
            if (rc != BW_OK) return rc;
            if (control == 0) return BW_OK;
            if (std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(kAckMillis)) {
                return dev_.fail(BW_ERR_DEVICE, dev_.where() + ": CONTROL still reads " + hex(control) + " " +
                                                    std::to_string(kAckMillis) + " ms after the " + what +
                                                    " pulse (a bitweave kernel reads it as 0): is the bitweave "
                                                    "bitstream loaded and its clock running?");
            }
            std::this_thread::yield();
        }
    }
};

}  // namespace bwdrv

#endif
