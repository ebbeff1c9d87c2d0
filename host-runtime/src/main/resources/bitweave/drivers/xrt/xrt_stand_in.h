/*
 * DECLARATION-ONLY STAND-IN for the parts of XRT's native C API that xrt_board.cpp uses.
 *
 * XRT (the Xilinx Runtime for Alveo cards) is not installed where bitweave is developed and
 * tested, so this header lets the xrt driver be compiled (and its compile checked by a unit
 * test) without it. It declares exactly the types, constants and functions the driver calls,
 * with the signatures of XRT's own headers (xrt/xrt_device.h, xrt/xrt_kernel.h, xrt/xrt_bo.h,
 * xrt/xrt_uuid.h, xrt/detail/xrt_mem.h of XRT 2.x). It contains no implementation: a program
 * built against it links only with libxrt_coreutil, or with a test double of it.
 *
 * On a machine with XRT, build_xrt_driver.sh compiles the driver with -DBW_XRT_REAL_HEADERS
 * against /opt/xilinx/xrt/include instead, so this file is not used there.
 */
#ifndef BITWEAVE_XRT_STAND_IN_H
#define BITWEAVE_XRT_STAND_IN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* xrt/xrt_uuid.h: typedef uuid_t xuid_t, where uuid_t is unsigned char[16] (libuuid). */
typedef unsigned char xuid_t[16];

/* xrt/xrt_device.h, xrt/xrt_kernel.h, xrt/xrt_bo.h: opaque handles and BO types. */
typedef void* xrtDeviceHandle;
typedef void* xrtKernelHandle;
typedef void* xrtBufferHandle;
typedef uint64_t xrtBufferFlags;
typedef uint32_t xrtMemoryGroup;

/* xrt/detail/xrt_mem.h (via xrt.h) */
enum xclBOSyncDirection {
    XCL_BO_SYNC_BO_TO_DEVICE = 0,
    XCL_BO_SYNC_BO_FROM_DEVICE
};

/* xrt/xrt_device.h */
xrtDeviceHandle xrtDeviceOpen(unsigned int index);
xrtDeviceHandle xrtDeviceOpenByBDF(const char* bdf);
int xrtDeviceClose(xrtDeviceHandle dhdl);
int xrtDeviceLoadXclbinFile(xrtDeviceHandle dhdl, const char* xclbin_filename);
int xrtDeviceGetXclbinUUID(xrtDeviceHandle dhdl, xuid_t out);

/* xrt/xrt_kernel.h */
xrtKernelHandle xrtPLKernelOpenExclusive(xrtDeviceHandle deviceHandle, const xuid_t xclbinId, const char* name);
int xrtKernelClose(xrtKernelHandle kernelHandle);
int xrtKernelArgGroupId(xrtKernelHandle kernelHandle, int argno);
int xrtKernelReadRegister(xrtKernelHandle kernelHandle, uint32_t offset, uint32_t* datap);
int xrtKernelWriteRegister(xrtKernelHandle kernelHandle, uint32_t offset, uint32_t data);

/* xrt/xrt_bo.h */
xrtBufferHandle xrtBOAlloc(xrtDeviceHandle dhdl, size_t size, xrtBufferFlags flags, xrtMemoryGroup grp);
int xrtBOFree(xrtBufferHandle bhdl);
int xrtBOWrite(xrtBufferHandle bhdl, const void* src, size_t size, size_t seek);
int xrtBORead(xrtBufferHandle bhdl, void* dst, size_t size, size_t skip);
int xrtBOSync(xrtBufferHandle bhdl, enum xclBOSyncDirection dir, size_t size, size_t offset);
uint64_t xrtBOAddress(xrtBufferHandle bhdl);

#ifdef __cplusplus
}
#endif

#endif
