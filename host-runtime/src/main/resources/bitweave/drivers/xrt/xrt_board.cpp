// bitweave board driver for Alveo cards through XRT's native C API (libxrt_coreutil).
//
// UNTESTED ON HARDWARE and against real XRT. Here it is compiled (against xrt_stand_in.h,
// warning-free) and its logic run against a test double of libxrt (hw-tests); docs/board-abi.md, "The xrt driver", says what
// that covers and what it does not.
//
// The xclbin's bitweave kernel must be a user-managed RTL kernel (no ap_ctrl_hs block) whose
// AXI-Lite window is the bitweave register map of docs/hardware.md at offset 0, with one AXI
// master argument (arg, default 0) connected to the memory bank the driver allocates in.
// Board memory is one buffer object of mem_size bytes: board address = offset in the BO. The
// kernel sees the BO at xrtBOAddress(bo), which the driver writes into MEM_BASE at open, so
// PROG_*, STATS_* and the addresses inside a program stay offsets in the BO.
//
// Build on a machine with XRT: build_xrt_driver.sh (next to this file), or
// dev.bitweave.runtime.board.Drivers#xrtLibrary.
#ifdef BW_XRT_REAL_HEADERS
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>
#else
#include "xrt_stand_in.h"
#endif

#include "bitweave_board.h"
#include "bw_driver_common.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <sys/stat.h>

namespace {

using bwdrv::hex;

thread_local std::string t_openError;

const std::vector<std::string> kKeys = {"device", "bdf", "xclbin", "kernel", "mem_size", "arg", "group", "poll_us", "design", "params"};

int openFail(int code, const std::string& message) {
    t_openError = message;
    return code;
}

std::string errnoText(int rc) {
    int e = rc > 0 ? rc : (rc < 0 ? -rc : errno);
    return e ? std::string(std::strerror(e)) + " (" + std::to_string(e) + ")" : "no error code";
}

class XrtDevice : public bwdrv::Device {
public:
    xrtDeviceHandle device = nullptr;
    xrtKernelHandle kernel = nullptr;
    xrtBufferHandle bo = nullptr;
    uint64_t memSize = 256ull << 20;
    uint64_t busBase = 0;
    unsigned pollMicros = 20;
    std::string name = "xrt device 0";

    ~XrtDevice() override {
        if (bo) xrtBOFree(bo);
        if (kernel) xrtKernelClose(kernel);
        if (device) xrtDeviceClose(device);
    }

    int rawRead(uint32_t offset, uint32_t& value) override {
        int rc = xrtKernelReadRegister(kernel, offset, &value);
        if (rc != 0) {
            return fail(BW_ERR_IO, name + ": xrtKernelReadRegister(" + hex(offset) + ") failed: " + errnoText(rc));
        }
        return BW_OK;
    }

    int rawWrite(uint32_t offset, uint32_t value) override {
        int rc = xrtKernelWriteRegister(kernel, offset, value);
        if (rc != 0) {
            return fail(BW_ERR_IO, name + ": xrtKernelWriteRegister(" + hex(offset) + ", " + hex(value) +
                                       ") failed: " + errnoText(rc));
        }
        return BW_OK;
    }

    // Each host write goes to the device at once (write, then sync that range), so a start
    // needs no whole-buffer sync; each read syncs its range back first.
    int copyIn(uint64_t addr, const void* src, uint64_t len) override {
        int rc = xrtBOWrite(bo, src, len, addr);
        if (rc == 0) rc = xrtBOSync(bo, XCL_BO_SYNC_BO_TO_DEVICE, len, addr);
        if (rc != 0) {
            return fail(BW_ERR_IO, name + ": writing " + std::to_string(len) + " bytes at " + hex(addr) +
                                       " (xrtBOWrite/xrtBOSync to device) failed: " + errnoText(rc));
        }
        return BW_OK;
    }

    int copyOut(uint64_t addr, void* dst, uint64_t len) override {
        int rc = xrtBOSync(bo, XCL_BO_SYNC_BO_FROM_DEVICE, len, addr);
        if (rc == 0) rc = xrtBORead(bo, dst, len, addr);
        if (rc != 0) {
            return fail(BW_ERR_IO, name + ": reading " + std::to_string(len) + " bytes at " + hex(addr) +
                                       " (xrtBOSync from device/xrtBORead) failed: " + errnoText(rc));
        }
        return BW_OK;
    }

    uint64_t size() const override { return memSize; }
    uint64_t base() const override { return busBase; }
    std::string where() const override { return name; }
};

int openDevice(XrtDevice& d, const char* config) {
    std::map<std::string, std::string> cfg;
    std::string problem = bwdrv::parseConfig(config, kKeys, cfg);
    if (!problem.empty()) return openFail(BW_ERR_CONFIG, problem);
    problem = bwdrv::applyDesign(cfg, d);
    if (!problem.empty()) return openFail(BW_ERR_CONFIG, problem);
    uint64_t n = 0;
    auto it = cfg.find("poll_us");
    if (it != cfg.end()) {
        if (!bwdrv::parseSize(it->second, n) || n > 1000000) {
            return openFail(BW_ERR_CONFIG, "poll_us='" + it->second + "': expected microseconds in 0..1000000");
        }
        d.pollMicros = static_cast<unsigned>(n);
    }
    if ((it = cfg.find("mem_size")) != cfg.end()) {
        if (!bwdrv::parseSize(it->second, d.memSize) || d.memSize == 0) {
            return openFail(BW_ERR_CONFIG, "mem_size='" + it->second + "': expected a positive byte count like 256M");
        }
    }
    int arg = 0;
    if ((it = cfg.find("arg")) != cfg.end()) {
        if (!bwdrv::parseSize(it->second, n) || n > 1000) {
            return openFail(BW_ERR_CONFIG, "arg='" + it->second + "': expected the kernel argument index of its AXI master");
        }
        arg = static_cast<int>(n);
    }
    bool haveGroup = false;
    uint64_t group = 0;
    if ((it = cfg.find("group")) != cfg.end()) {
        if (!bwdrv::parseSize(it->second, group) || group > 0xFFFFFFFFull) {
            return openFail(BW_ERR_CONFIG, "group='" + it->second + "': expected a memory bank group id");
        }
        haveGroup = true;
    }
    std::string kernelName = cfg.count("kernel") ? cfg["kernel"] : "bitweave_top";

    // The device.
    if (cfg.count("bdf") && cfg.count("device")) {
        return openFail(BW_ERR_CONFIG, "give either device= or bdf=, not both");
    }
    if (cfg.count("bdf")) {
        d.name = "xrt device " + cfg["bdf"];
        d.device = xrtDeviceOpenByBDF(cfg["bdf"].c_str());
    } else {
        unsigned index = 0;
        if (cfg.count("device")) {
            if (!bwdrv::parseSize(cfg["device"], n) || n > 1024) {
                return openFail(BW_ERR_CONFIG, "device='" + cfg["device"] + "': expected a device index like 0");
            }
            index = static_cast<unsigned>(n);
        }
        d.name = "xrt device " + std::to_string(index);
        d.device = xrtDeviceOpen(index);
    }
    if (!d.device) {
        return openFail(BW_ERR_IO, d.name + " cannot be opened (" + errnoText(0) +
                                       "): check that 'xbutil examine' lists the card, that XRT and the card's "
                                       "platform are installed, and that you sourced /opt/xilinx/xrt/setup.sh");
    }
    // The xclbin: load the given file, or use the one already on the card.
    if ((it = cfg.find("xclbin")) != cfg.end()) {
        struct stat st {};
        if (stat(it->second.c_str(), &st) != 0) {
            return openFail(BW_ERR_IO, "xclbin file " + it->second + " not found: build it with the emitted v++ "
                                           "scripts, or give xclbin= the path of the bitweave .xclbin");
        }
        int rc = xrtDeviceLoadXclbinFile(d.device, it->second.c_str());
        if (rc != 0) {
            return openFail(BW_ERR_IO, d.name + ": loading " + it->second + " failed: " + errnoText(rc) +
                                           " (is it built for this card's shell? see 'xbutil examine')");
        }
    }
    xuid_t uuid;
    std::memset(uuid, 0, sizeof uuid);
    int rc = xrtDeviceGetXclbinUUID(d.device, uuid);
    if (rc != 0) {
        return openFail(BW_ERR_IO, d.name + ": no xclbin loaded (xrtDeviceGetXclbinUUID: " + errnoText(rc) +
                                       "): pass xclbin=PATH");
    }
    // The kernel, exclusively: register access needs it.
    d.kernel = xrtPLKernelOpenExclusive(d.device, uuid, kernelName.c_str());
    if (!d.kernel) {
        return openFail(BW_ERR_DEVICE, d.name + ": kernel '" + kernelName + "' cannot be opened exclusively (" +
                                           errnoText(0) + "): is this the bitweave xclbin, and is no other process "
                                           "using the kernel? (kernel= names it)");
    }
    d.name += " kernel " + kernelName;
    if (!haveGroup) {
        int g = xrtKernelArgGroupId(d.kernel, arg);
        if (g < 0) {
            return openFail(BW_ERR_DEVICE, d.name + ": no memory bank for kernel argument " + std::to_string(arg) +
                                               " (xrtKernelArgGroupId: " + std::to_string(g) +
                                               "); give arg= (its AXI master) or group=");
        }
        group = static_cast<uint64_t>(g);
    }
    // Board memory: one buffer object.
    d.bo = xrtBOAlloc(d.device, d.memSize, 0, static_cast<xrtMemoryGroup>(group));
    if (!d.bo) {
        return openFail(BW_ERR_NO_MEMORY, d.name + ": cannot allocate " + std::to_string(d.memSize) +
                                              " bytes of board memory in bank group " + std::to_string(group) + " (" +
                                              errnoText(0) + "): lower mem_size=");
    }
    d.busBase = xrtBOAddress(d.bo);
    if (d.busBase == UINT64_MAX || d.busBase == static_cast<uint64_t>(INT64_MAX) ||
        d.busBase + d.memSize < d.busBase) {
        return openFail(BW_ERR_DEVICE, d.name + ": xrtBOAddress returned no device address (" + hex(d.busBase) + ")");
    }
    return BW_OK;
}

}  // namespace

struct bw_board {
    XrtDevice dev;
    bwdrv::KernelView view{dev};
    bwdrv::Protocol proto{view};
};

#define BW_DRIVER_NAME "xrt"
#include "bw_driver_abi.h"
