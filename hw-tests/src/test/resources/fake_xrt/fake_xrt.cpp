// A test double of libxrt_coreutil for the xrt driver's tests: implements the 16 XRT C calls
// that xrt_stand_in.h declares on top of a simulated bitweave board (any board ABI library,
// loaded with dlopen). It models XRT's buffer objects as host-side copies that xrtBOSync moves
// to and from the board memory at a fixed device address, and a kernel whose registers are the
// board's. Reading STATUS clocks the simulated board a slice, so polling makes progress.
// Every register write reaches the simulated board (MEM_BASE included, so the simulated kernel
// adds the BO's address to its accesses), and is counted; a "legacy" device drops writes to
// MEM_BASE (0x44/0x48) as a design that predates the register would.
// Not XRT: it checks the shim's logic and protocol, not its behaviour on XRT or an Alveo card.
#include "xrt_stand_in.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {
typedef int (*open_fn)(const char*, void**);
typedef void (*close_fn)(void*);
typedef int (*mem_fn)(void*, uint64_t, void*, uint64_t);
typedef int (*memw_fn)(void*, uint64_t, const void*, uint64_t);
typedef int (*regw_fn)(void*, uint32_t, uint32_t);
typedef int (*regr_fn)(void*, uint32_t, uint32_t*);
typedef int (*wait_fn)(void*, uint64_t, uint64_t);

std::string g_lib, g_config;
uint64_t g_boAddress = 0;
bool g_legacy = false;
constexpr uint32_t kMemBaseLo = 0x44, kMemBaseHi = 0x48;
unsigned g_writes[64];  // register writes the kernel received since the device was opened, by offset / 4

struct Dev {
    void* lib = nullptr;
    void* board = nullptr;
    close_fn close = nullptr;
    memw_fn memWrite = nullptr;
    mem_fn memRead = nullptr;
    regw_fn regWrite = nullptr;
    regr_fn regRead = nullptr;
    wait_fn wait = nullptr;
    bool xclbin = false;
    bool kernelOpen = false;
};

Dev* g_dev = nullptr;  // the open device, for fakeXrtPoke

struct Bo {
    Dev* dev;
    uint64_t address;
    std::vector<unsigned char> host;
};
}  // namespace

extern "C" {

// The board library and config behind device 0, the address every BO gets, and whether the
// kernel predates MEM_BASE (legacy != 0).
__attribute__((visibility("default"))) void fakeXrtConfigure(const char* simLibrary, const char* simConfig,
                                                             uint64_t boAddress, int legacy) {
    g_lib = simLibrary;
    g_config = simConfig;
    g_boAddress = boAddress;
    g_legacy = legacy != 0;
}

// How many times the driver wrote the register at offset since the device was opened.
__attribute__((visibility("default"))) unsigned fakeXrtWrites(uint32_t offset) {
    return offset < 256 && offset % 4 == 0 ? g_writes[offset / 4] : 0;
}

// Writes a register of the open device behind the driver's back (not counted): a test's model
// of a hard reset clearing it. 0 on success.
__attribute__((visibility("default"))) int fakeXrtPoke(uint32_t offset, uint32_t value) {
    return g_dev ? g_dev->regWrite(g_dev->board, offset, value) : -1;
}

xrtDeviceHandle xrtDeviceOpen(unsigned int index) {
    if (index != 0 || g_lib.empty()) {
        errno = ENODEV;
        return nullptr;
    }
    Dev* d = new Dev();
    d->lib = dlopen(g_lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!d->lib) {
        delete d;
        errno = ENOENT;
        return nullptr;
    }
    open_fn open = reinterpret_cast<open_fn>(dlsym(d->lib, "bw_open"));
    d->close = reinterpret_cast<close_fn>(dlsym(d->lib, "bw_close"));
    d->memWrite = reinterpret_cast<memw_fn>(dlsym(d->lib, "bw_mem_write"));
    d->memRead = reinterpret_cast<mem_fn>(dlsym(d->lib, "bw_mem_read"));
    d->regWrite = reinterpret_cast<regw_fn>(dlsym(d->lib, "bw_reg_write"));
    d->regRead = reinterpret_cast<regr_fn>(dlsym(d->lib, "bw_reg_read"));
    d->wait = reinterpret_cast<wait_fn>(dlsym(d->lib, "bw_wait"));
    if (!open || open(g_config.c_str(), &d->board) != 0) {
        dlclose(d->lib);
        delete d;
        errno = EIO;
        return nullptr;
    }
    std::memset(g_writes, 0, sizeof g_writes);
    g_dev = d;
    return d;
}

xrtDeviceHandle xrtDeviceOpenByBDF(const char*) {
    errno = ENODEV;
    return nullptr;
}

int xrtDeviceClose(xrtDeviceHandle h) {
    Dev* d = static_cast<Dev*>(h);
    if (g_dev == d) g_dev = nullptr;
    d->close(d->board);
    dlclose(d->lib);
    delete d;
    return 0;
}

int xrtDeviceLoadXclbinFile(xrtDeviceHandle h, const char* file) {
    struct stat st {};
    if (stat(file, &st) != 0) return ENOENT;
    static_cast<Dev*>(h)->xclbin = true;
    return 0;
}

int xrtDeviceGetXclbinUUID(xrtDeviceHandle h, xuid_t out) {
    if (!static_cast<Dev*>(h)->xclbin) return EINVAL;
    for (int i = 0; i < 16; i++) out[i] = static_cast<unsigned char>(0xB0 + i);
    return 0;
}

xrtKernelHandle xrtPLKernelOpenExclusive(xrtDeviceHandle h, const xuid_t, const char* name) {
    Dev* d = static_cast<Dev*>(h);
    if (std::strcmp(name, "bitweave_top") != 0 || d->kernelOpen) {
        errno = d->kernelOpen ? EBUSY : ENOENT;
        return nullptr;
    }
    d->kernelOpen = true;
    return d;
}

int xrtKernelClose(xrtKernelHandle h) {
    static_cast<Dev*>(h)->kernelOpen = false;
    return 0;
}

int xrtKernelArgGroupId(xrtKernelHandle, int argno) { return argno == 0 ? 1 : -EINVAL; }

int xrtKernelReadRegister(xrtKernelHandle h, uint32_t offset, uint32_t* value) {
    Dev* d = static_cast<Dev*>(h);
    if (offset == 0x0C) d->wait(d->board, 5000, 0);  // time passes while the host polls
    return d->regRead(d->board, offset, value) == 0 ? 0 : EIO;
}

int xrtKernelWriteRegister(xrtKernelHandle h, uint32_t offset, uint32_t value) {
    Dev* d = static_cast<Dev*>(h);
    if (offset < 256 && offset % 4 == 0) g_writes[offset / 4]++;
    if (g_legacy && (offset == kMemBaseLo || offset == kMemBaseHi)) return 0;  // no such register: ignored
    return d->regWrite(d->board, offset, value) == 0 ? 0 : EIO;
}

xrtBufferHandle xrtBOAlloc(xrtDeviceHandle h, size_t size, xrtBufferFlags flags, xrtMemoryGroup grp) {
    if (flags != 0 || grp != 1) {
        errno = EINVAL;
        return nullptr;
    }
    return new Bo{static_cast<Dev*>(h), g_boAddress, std::vector<unsigned char>(size)};
}

int xrtBOFree(xrtBufferHandle b) {
    delete static_cast<Bo*>(b);
    return 0;
}

int xrtBOWrite(xrtBufferHandle h, const void* src, size_t size, size_t seek) {
    Bo* b = static_cast<Bo*>(h);
    if (seek > b->host.size() || size > b->host.size() - seek) return EINVAL;
    std::memcpy(b->host.data() + seek, src, size);
    return 0;
}

int xrtBORead(xrtBufferHandle h, void* dst, size_t size, size_t skip) {
    Bo* b = static_cast<Bo*>(h);
    if (skip > b->host.size() || size > b->host.size() - skip) return EINVAL;
    std::memcpy(dst, b->host.data() + skip, size);
    return 0;
}

int xrtBOSync(xrtBufferHandle h, enum xclBOSyncDirection dir, size_t size, size_t offset) {
    Bo* b = static_cast<Bo*>(h);
    if (offset > b->host.size() || size > b->host.size() - offset) return EINVAL;
    int rc = dir == XCL_BO_SYNC_BO_TO_DEVICE
                 ? b->dev->memWrite(b->dev->board, b->address + offset, b->host.data() + offset, size)
                 : b->dev->memRead(b->dev->board, b->address + offset, b->host.data() + offset, size);
    return rc == 0 ? 0 : EIO;
}

uint64_t xrtBOAddress(xrtBufferHandle h) { return static_cast<Bo*>(h)->address; }

}  // extern "C"
