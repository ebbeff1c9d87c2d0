/*
 * bitweave board ABI, version 1: the one C interface every board driver implements
 * (simulated board, XRT, Zynq UIO). The host runtime binds it once through JNA
 * (dev.bitweave.runtime.board.BoardLibrary). docs/board-abi.md is the long form.
 *
 * Conventions
 * - Every function that can fail returns an int: 0 (BW_OK) on success, a negative BW_ERR_*
 *   code on failure; bw_wait can also return 1 (BW_TIMEOUT). After a failure,
 *   bw_last_error(board) describes it in one line (what, where, which value).
 * - Memory addresses are byte addresses in board memory, 64-bit; lengths are bytes.
 * - Register offsets are the byte offsets of docs/hardware.md (4-byte aligned, < 0x100).
 *
 * Thread-safety: a handle belongs to one thread at a time. Calls on the same handle must not
 * overlap; handing a handle to another thread between calls is fine. Different handles are
 * independent and may be used from different threads at the same time.
 */
#ifndef BITWEAVE_BOARD_H
#define BITWEAVE_BOARD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define BW_API __attribute__((visibility("default")))
#else
#define BW_API
#endif

/* The version of this header; bw_abi_version() of a driver must return it. */
#define BW_ABI_VERSION 1

/* Return codes. */
#define BW_OK 0
#define BW_TIMEOUT 1            /* bw_wait: the limit passed before the kernel finished */
#define BW_ERR_ARGUMENT (-1)    /* null pointer, bad register offset, length overflow */
#define BW_ERR_CONFIG (-2)      /* config string: unknown key, bad value, or a mismatch with the device */
#define BW_ERR_RANGE (-3)       /* host memory access outside board memory */
#define BW_ERR_BUS (-4)         /* the kernel made an illegal memory access (outside memory, misaligned,
                                   crossing 4 KiB, burst protocol); the board stays faulted until
                                   bw_soft_reset */
#define BW_ERR_DEVICE (-5)      /* the kernel reported STATUS.error, or the device is not a bitweave design */
#define BW_ERR_IO (-6)          /* the operating system refused something (file, mapping, driver) */
#define BW_ERR_UNSUPPORTED (-7) /* the driver cannot do this (e.g. tracing in a build without it) */
#define BW_ERR_NO_MEMORY (-8)   /* host allocation failed */

/* Standard register offsets (docs/hardware.md). */
#define BW_REG_ID 0x00
#define BW_REG_PARAMS 0x04
#define BW_REG_CONTROL 0x08
#define BW_REG_STATUS 0x0C
#define BW_REG_PC 0x20
#define BW_REG_ERROR 0x24
#define BW_CONTROL_START 0x1u
#define BW_CONTROL_SOFT_RESET 0x2u
#define BW_STATUS_BUSY 0x1u
#define BW_STATUS_DONE 0x2u
#define BW_STATUS_ERROR 0x4u
#define BW_ID_VALUE 0x42575631u

/* Opaque handle. */
typedef struct bw_board bw_board;

/* BW_ABI_VERSION of the driver, so a binding can refuse a mismatched library. */
BW_API uint32_t bw_abi_version(void);

/*
 * Opens a board. config is "key=value;key=value" (whitespace around keys and values is
 * ignored, an empty config means all defaults); the keys are the driver's (see
 * docs/board-abi.md). On success *out is the handle; on failure *out is NULL and
 * bw_last_error(NULL) returns the reason on the calling thread.
 */
BW_API int bw_open(const char *config, bw_board **out);

/* Releases the handle and everything it owns. NULL is ignored. */
BW_API void bw_close(bw_board *board);

/* Copies len bytes between host memory and board memory at addr. BW_ERR_RANGE if
 * [addr, addr + len) is not inside board memory; nothing is copied then. */
BW_API int bw_mem_write(bw_board *board, uint64_t addr, const void *src, uint64_t len);
BW_API int bw_mem_read(bw_board *board, uint64_t addr, void *dst, uint64_t len);

/* 32-bit register access at a byte offset. */
BW_API int bw_reg_write(bw_board *board, uint32_t offset, uint32_t value);
BW_API int bw_reg_read(bw_board *board, uint32_t offset, uint32_t *value);

/* Writes CONTROL.start: the kernel clears STATUS.done and runs. */
BW_API int bw_start(bw_board *board);

/*
 * Runs or waits until the kernel raises done (irq / STATUS.done): returns BW_OK. Returns
 * BW_TIMEOUT when max_cycles clock cycles (simulated boards) or timeout_ms milliseconds of
 * wall time pass first; 0 means no limit of that kind. A simulated board honours both
 * limits, a real board only timeout_ms. The timeout message names STATUS and PC.
 * Returns BW_ERR_DEVICE when the kernel sets STATUS.error, BW_ERR_BUS on an illegal access.
 * Returns at once if done is already set.
 */
BW_API int bw_wait(bw_board *board, uint64_t max_cycles, uint64_t timeout_ms);

/* Writes CONTROL.soft_reset: aborts a run, clears done and error, drops the transfers in
 * flight and a bus fault; board memory and configuration registers are kept. */
BW_API int bw_soft_reset(bw_board *board);

/* Clock cycles since bw_open (simulated boards, reset cycles included); 0 on boards that
 * do not count. */
BW_API uint64_t bw_cycles(const bw_board *board);

/* The message of the last failed call on board ("" if none); with NULL, the message of the
 * last failed bw_open on the calling thread. Valid until the next call on the same handle. */
BW_API const char *bw_last_error(const bw_board *board);

#ifdef __cplusplus
}
#endif

#endif /* BITWEAVE_BOARD_H */
