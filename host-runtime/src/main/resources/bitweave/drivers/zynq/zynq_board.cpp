// bitweave board driver for Zynq UltraScale+ / Zynq-7000 boards (Kria KV260/KR260, PYNQ-Z2,
// ZCU104...) running Linux: the kernel's register window through UIO, board memory in a
// physically contiguous buffer (u-dma-buf, or /dev/mem at a reserved physical range), both
// mapped into this process with mmap. docs/board-abi.md, "The zynq driver", is the long form.
//
// Build (the Java side does this, see dev.bitweave.runtime.board.Drivers):
//   g++ -std=c++17 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror
//       -I<dir of bitweave_board.h> -I<drivers/common> zynq_board.cpp -o libbwzynq.so
#include "bitweave_board.h"
#include "bw_driver_common.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using bwdrv::hex;

thread_local std::string t_openError;

const std::vector<std::string> kKeys = {"uio", "uio_size", "mem", "mem_size", "phys", "poll_us", "design", "params"};

std::string baseName(const std::string& path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool startsWithDigits(const std::string& s, const std::string& prefix) {
    if (s.size() <= prefix.size() || s.compare(0, prefix.size(), prefix) != 0) return false;
    for (size_t i = prefix.size(); i < s.size(); i++) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
}

// The first line of a sysfs attribute as a number ("0x00010000", "67108864").
bool readSysfsNumber(const std::string& file, uint64_t& out) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) return false;
    return bwdrv::parseSize(bwdrv::trim(line), out);
}

// Copies between host memory and a mapping that may be uncached device memory, where
// unaligned or wide vector accesses can fault: bytes up to an 8-byte boundary, then aligned
// 64-bit words, then bytes. Every access is volatile so the compiler neither merges nor widens it.
void copyToDevice(volatile uint8_t* dst, const uint8_t* src, uint64_t len) {
    while (len && (reinterpret_cast<uintptr_t>(dst) & 7)) {
        *dst++ = *src++;
        len--;
    }
    while (len >= 8) {
        uint64_t w;
        std::memcpy(&w, src, 8);
        *reinterpret_cast<volatile uint64_t*>(dst) = w;
        dst += 8;
        src += 8;
        len -= 8;
    }
    while (len--) *dst++ = *src++;
}

void copyFromDevice(uint8_t* dst, const volatile uint8_t* src, uint64_t len) {
    while (len && (reinterpret_cast<uintptr_t>(src) & 7)) {
        *dst++ = *src++;
        len--;
    }
    while (len >= 8) {
        uint64_t w = *reinterpret_cast<const volatile uint64_t*>(src);
        std::memcpy(dst, &w, 8);
        dst += 8;
        src += 8;
        len -= 8;
    }
    while (len--) *dst++ = *src++;
}

struct Mapping {
    int fd = -1;
    void* base = MAP_FAILED;
    uint64_t size = 0;

    ~Mapping() {
        if (base != MAP_FAILED) munmap(base, size);
        if (fd >= 0) close(fd);
    }
};

class ZynqDevice : public bwdrv::Device {
public:
    std::string uioPath, memPath;
    Mapping regs, mem;
    uint64_t phys = 0;
    unsigned pollMicros = 20;

    int rawRead(uint32_t offset, uint32_t& value) override {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        value = reg(offset);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        return BW_OK;
    }

    int rawWrite(uint32_t offset, uint32_t value) override {
        // Buffer writes before this register write reach memory first (e.g. a program, then start).
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        reg(offset) = value;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        return BW_OK;
    }

    int copyIn(uint64_t addr, const void* src, uint64_t len) override {
        copyToDevice(static_cast<volatile uint8_t*>(mem.base) + addr, static_cast<const uint8_t*>(src), len);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        return BW_OK;
    }

    int copyOut(uint64_t addr, void* dst, uint64_t len) override {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        copyFromDevice(static_cast<uint8_t*>(dst), static_cast<const volatile uint8_t*>(mem.base) + addr, len);
        return BW_OK;
    }

    uint64_t size() const override { return mem.size; }
    uint64_t base() const override { return phys; }
    std::string where() const override { return uioPath; }

private:
    volatile uint32_t& reg(uint32_t offset) {
        return *reinterpret_cast<volatile uint32_t*>(static_cast<uint8_t*>(regs.base) + offset);
    }
};

int openFail(int code, const std::string& message) {
    t_openError = message;
    return code;
}

// Opens path for mapping; a missing node or a refused open become messages saying what to do.
int openNode(const std::string& path, const std::string& role, const std::string& advice, Mapping& m,
             struct stat& st) {
    if (stat(path.c_str(), &st) != 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR) {
            return openFail(BW_ERR_IO, "device node " + path + " (" + role + ") not found: " + advice);
        }
        return openFail(BW_ERR_IO, "cannot stat " + path + " (" + role + "): " + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
        return openFail(BW_ERR_CONFIG, path + " (" + role + ") is neither a character device nor a regular file");
    }
    m.fd = open(path.c_str(), O_RDWR | O_SYNC | O_CLOEXEC);
    if (m.fd < 0) {
        int e = errno;
        std::string hint = e == EACCES || e == EPERM
                               ? ": run as root or give your user read/write access to it (a udev rule)"
                               : "";
        return openFail(BW_ERR_IO, "cannot open " + path + " (" + role + "): " + std::strerror(e) + hint);
    }
    return BW_OK;
}

int mapNode(Mapping& m, uint64_t size, uint64_t offset, const std::string& path, const std::string& role) {
    m.base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, static_cast<off_t>(offset));
    if (m.base == MAP_FAILED) {
        int e = errno;
        return openFail(BW_ERR_IO, "cannot mmap " + std::to_string(size) + " bytes at offset " + hex(offset) + " of " +
                                       path + " (" + role + "): " + std::strerror(e));
    }
    m.size = size;
    return BW_OK;
}

int openRegisters(ZynqDevice& d, const std::map<std::string, std::string>& cfg) {
    auto it = cfg.find("uio");
    d.uioPath = it == cfg.end() ? "/dev/uio0" : it->second;
    struct stat st {};
    int rc = openNode(d.uioPath, "register window",
                      "load the bitstream with the bitweave overlay and check that a uio driver is bound to its "
                      "register window (uio_pdrv_genirq with a generic-uio device-tree node; ls /sys/class/uio), "
                      "then pass uio=/dev/uioN",
                      d.regs, st);
    if (rc != BW_OK) return rc;
    uint64_t size = 0;
    std::string name = baseName(d.uioPath);
    if ((it = cfg.find("uio_size")) != cfg.end()) {
        if (!bwdrv::parseSize(it->second, size) || size == 0) {
            return openFail(BW_ERR_CONFIG, "uio_size='" + it->second + "': expected a byte count like 0x10000 or 64k");
        }
    } else if (S_ISREG(st.st_mode)) {
        size = static_cast<uint64_t>(st.st_size);
    } else if (startsWithDigits(name, "uio")) {
        std::string sys = "/sys/class/uio/" + name + "/maps/map0/size";
        if (!readSysfsNumber(sys, size)) {
            return openFail(BW_ERR_IO, "cannot read the register window size from " + sys +
                                           ": check that the uio driver is bound, or pass uio_size=");
        }
    } else {
        return openFail(BW_ERR_CONFIG, "uio=" + d.uioPath + " is not /dev/uioN: pass uio_size= with the size of "
                                           "its register window");
    }
    if (size < bwdrv::kRegWindow) {
        return openFail(BW_ERR_CONFIG, d.uioPath + ": register window of " + std::to_string(size) +
                                           " bytes is smaller than the bitweave register map (256 bytes)");
    }
    if (S_ISREG(st.st_mode) && size > static_cast<uint64_t>(st.st_size)) {
        return openFail(BW_ERR_CONFIG, d.uioPath + ": uio_size " + std::to_string(size) + " is larger than the file (" +
                                           std::to_string(st.st_size) + " bytes)");
    }
    // UIO maps region N at offset N * page size; the registers are region 0.
    return mapNode(d.regs, size, 0, d.uioPath, "register window");
}

int openMemory(ZynqDevice& d, const std::map<std::string, std::string>& cfg) {
    auto it = cfg.find("mem");
    d.memPath = it == cfg.end() ? "/dev/udmabuf0" : it->second;
    bool devMem = d.memPath == "/dev/mem";
    std::string name = baseName(d.memPath);
    bool udmabuf = startsWithDigits(name, "udmabuf");
    struct stat st {};
    std::string advice = devMem ? "this kernel has no /dev/mem"
                                : "install and load the u-dma-buf kernel module (e.g. 'modprobe u-dma-buf "
                                  "udmabuf0=268435456', https://github.com/ikwzm/udmabuf), or reserve memory and "
                                  "pass mem=/dev/mem;phys=...;mem_size=...";
    int rc = openNode(d.memPath, "DMA buffer", advice, d.mem, st);
    if (rc != BW_OK) return rc;

    bool havePhys = false, haveSize = false;
    uint64_t size = 0;
    if ((it = cfg.find("phys")) != cfg.end()) {
        if (!bwdrv::parseSize(it->second, d.phys)) {
            return openFail(BW_ERR_CONFIG, "phys='" + it->second + "': expected the buffer's physical address, e.g. 0x70000000");
        }
        havePhys = true;
    }
    if ((it = cfg.find("mem_size")) != cfg.end()) {
        if (!bwdrv::parseSize(it->second, size) || size == 0) {
            return openFail(BW_ERR_CONFIG, "mem_size='" + it->second + "': expected a positive byte count like 256M");
        }
        haveSize = true;
    }
    if (udmabuf && S_ISCHR(st.st_mode)) {
        // u-dma-buf v2+ registers class u-dma-buf; v1 used udmabuf.
        std::string sys;
        for (const char* cls : {"/sys/class/u-dma-buf/", "/sys/class/udmabuf/"}) {
            struct stat s {};
            if (stat((std::string(cls) + name).c_str(), &s) == 0) sys = std::string(cls) + name;
        }
        if (sys.empty()) {
            return openFail(BW_ERR_IO, "no /sys/class/u-dma-buf/" + name + " for " + d.memPath +
                                           ": is the u-dma-buf module loaded? (or pass phys= and mem_size=)");
        }
        uint64_t sysPhys = 0, sysSize = 0;
        if (!readSysfsNumber(sys + "/phys_addr", sysPhys)) {
            return openFail(BW_ERR_IO, "cannot read " + sys + "/phys_addr: check the u-dma-buf module");
        }
        if (!readSysfsNumber(sys + "/size", sysSize)) {
            return openFail(BW_ERR_IO, "cannot read " + sys + "/size: check the u-dma-buf module");
        }
        if (havePhys && d.phys != sysPhys) {
            return openFail(BW_ERR_CONFIG, "phys=" + hex(d.phys) + " differs from " + sys + "/phys_addr (" +
                                               hex(sysPhys) + ")");
        }
        if (haveSize && size > sysSize) {
            return openFail(BW_ERR_CONFIG, "mem_size=" + std::to_string(size) + " is larger than " + d.memPath + " (" +
                                               std::to_string(sysSize) + " bytes)");
        }
        d.phys = sysPhys;
        if (!haveSize) size = sysSize;
    } else {
        if (!havePhys) {
            return openFail(BW_ERR_CONFIG, "mem=" + d.memPath + " needs phys=: the bus address the kernel sees for "
                                               "the buffer's first byte");
        }
        if (!haveSize) {
            if (!S_ISREG(st.st_mode)) {
                return openFail(BW_ERR_CONFIG, "mem=" + d.memPath + " needs mem_size=: the buffer's size in bytes");
            }
            size = static_cast<uint64_t>(st.st_size);
        }
        if (S_ISREG(st.st_mode) && size > static_cast<uint64_t>(st.st_size)) {
            return openFail(BW_ERR_CONFIG, d.memPath + ": mem_size " + std::to_string(size) +
                                               " is larger than the file (" + std::to_string(st.st_size) + " bytes)");
        }
    }
    if (size == 0) return openFail(BW_ERR_CONFIG, d.memPath + ": the DMA buffer is empty");
    long page = sysconf(_SC_PAGESIZE);
    uint64_t offset = devMem ? d.phys : 0;
    if (devMem && (d.phys % static_cast<uint64_t>(page)) != 0) {
        return openFail(BW_ERR_CONFIG, "phys=" + hex(d.phys) + " is not page aligned (" + std::to_string(page) +
                                           " bytes), which /dev/mem needs");
    }
    if (d.phys + size < d.phys) return openFail(BW_ERR_CONFIG, "phys + mem_size overflows 64 bits");
    return mapNode(d.mem, size, offset, d.memPath, "DMA buffer");
}

int openDevice(ZynqDevice& d, const char* config) {
    std::map<std::string, std::string> cfg;
    std::string problem = bwdrv::parseConfig(config, kKeys, cfg);
    if (!problem.empty()) return openFail(BW_ERR_CONFIG, problem);
    problem = bwdrv::applyDesign(cfg, d);
    if (!problem.empty()) return openFail(BW_ERR_CONFIG, problem);
    auto it = cfg.find("poll_us");
    if (it != cfg.end()) {
        uint64_t us = 0;
        if (!bwdrv::parseSize(it->second, us) || us > 1000000) {
            return openFail(BW_ERR_CONFIG, "poll_us='" + it->second + "': expected microseconds in 0..1000000");
        }
        d.pollMicros = static_cast<unsigned>(us);
    }
    int rc = openRegisters(d, cfg);
    if (rc == BW_OK) rc = openMemory(d, cfg);
    return rc;
}

}  // namespace

struct bw_board {
    ZynqDevice dev;
    bwdrv::KernelView view{dev};
    bwdrv::Protocol proto{view};
};

#define BW_DRIVER_NAME "zynq"
#include "bw_driver_abi.h"
