// The board ABI's entry points (bitweave_board.h, docs/board-abi.md), shared by the real-board
// drivers. Include it once, at the end of the driver's only translation unit, after defining:
//   struct bw_board { Device dev; bwdrv::KernelView view{dev}; bwdrv::Protocol proto{view}; },
//                     where Device has pollMicros (defined in the .cpp: its device type has
//                     internal linkage); messages go through view (it copies the device's);
//   BW_DRIVER_NAME    the driver's name in messages, a string literal;
//   int openDevice(Device&, const char* config), int openFail(int, const std::string&) and
//   thread_local std::string t_openError (the message of a failed bw_open).
#pragma once

namespace {
template <typename F>
int guarded(bw_board* b, F&& call) {
    if (!b) return BW_ERR_ARGUMENT;
    try {
        return call(*b);
    } catch (const std::bad_alloc&) {
        return b->view.fail(BW_ERR_NO_MEMORY, "out of host memory");
    } catch (const std::exception& e) {
        return b->view.fail(BW_ERR_IO, std::string(BW_DRIVER_NAME " driver failure: ") + e.what());
    }
}
}  // namespace

extern "C" {

BW_API uint32_t bw_abi_version(void) { return BW_ABI_VERSION; }

BW_API int bw_open(const char* config, bw_board** out) {
    if (!out) {
        t_openError = "bw_open: out is null";
        return BW_ERR_ARGUMENT;
    }
    *out = nullptr;
    try {
        std::unique_ptr<bw_board> b(new bw_board());
        int rc = openDevice(b->dev, config);
        if (rc != BW_OK) return rc;
        rc = b->proto.checkId();
        if (rc == BW_OK) rc = b->proto.setMemBase();
        if (rc != BW_OK) return openFail(rc, b->view.lastError);
        *out = b.release();
        return BW_OK;
    } catch (const std::bad_alloc&) {
        return openFail(BW_ERR_NO_MEMORY, "out of host memory");
    } catch (const std::exception& e) {
        return openFail(BW_ERR_IO, std::string(BW_DRIVER_NAME " driver failure: ") + e.what());
    }
}

BW_API void bw_close(bw_board* b) { delete b; }

BW_API int bw_mem_write(bw_board* b, uint64_t addr, const void* src, uint64_t len) {
    return guarded(b, [&](bw_board& x) { return x.proto.memWrite(addr, src, len); });
}

BW_API int bw_mem_read(bw_board* b, uint64_t addr, void* dst, uint64_t len) {
    return guarded(b, [&](bw_board& x) { return x.proto.memRead(addr, dst, len); });
}

BW_API int bw_reg_write(bw_board* b, uint32_t offset, uint32_t value) {
    return guarded(b, [&](bw_board& x) { return x.proto.regWrite(offset, value); });
}

BW_API int bw_reg_read(bw_board* b, uint32_t offset, uint32_t* value) {
    if (b && !value) return b->view.fail(BW_ERR_ARGUMENT, "bw_reg_read: value is null");
    return guarded(b, [&](bw_board& x) { return x.proto.regRead(offset, *value); });
}

BW_API int bw_start(bw_board* b) {
    return guarded(b, [&](bw_board& x) { return x.proto.start(); });
}

// A real board has no cycle limit: max_cycles is ignored, as the ABI allows.
BW_API int bw_wait(bw_board* b, uint64_t max_cycles, uint64_t timeout_ms) {
    (void)max_cycles;
    return guarded(b, [&](bw_board& x) { return x.proto.wait(timeout_ms, x.dev.pollMicros); });
}

BW_API int bw_soft_reset(bw_board* b) {
    return guarded(b, [&](bw_board& x) { return x.proto.softReset(); });
}

BW_API uint64_t bw_cycles(const bw_board* b) {
    (void)b;
    return 0;
}

BW_API const char* bw_last_error(const bw_board* b) { return b ? b->view.lastError.c_str() : t_openError.c_str(); }

}  // extern "C"
