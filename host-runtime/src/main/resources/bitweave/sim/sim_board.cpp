// The simulated board: the board ABI (bitweave_board.h) around the Verilated bitweave_top.
// One SimBoard owns a VerilatedContext, the model, the memory and its two AXI slaves, and
// advances them together one clock cycle per tick(). docs/board-abi.md describes the model.
#include "bitweave_board.h"

#include <chrono>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <type_traits>

#include "Vbitweave_top.h"
#include "axi_memory.h"
#include "sim_config.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "port packing assumes a little-endian host");

namespace {

using namespace bwsim;

constexpr int kResetTicks = 4;
constexpr uint32_t kMaxBeatBytes = 512;  // BUS up to 4096 bits

thread_local std::string t_openError;   // bw_last_error(NULL)
thread_local std::string t_fatal;       // what the design's $fatal or Verilator said

// Verilated ports are CData/SData/IData/QData integers or VlWide word arrays; both hold the
// value little endian from bit 0, so a byte copy of the storage is the packed value.
template <typename T>
const uint8_t* storage(const T& port) {
    if constexpr (std::is_integral_v<T>) return reinterpret_cast<const uint8_t*>(&port);
    else return reinterpret_cast<const uint8_t*>(port.data());
}
template <typename T>
void putPort(T& port, const uint8_t* src) {
    if constexpr (std::is_integral_v<T>) {
        T v;
        std::memcpy(&v, src, sizeof v);
        port = v;
    } else {
        std::memcpy(port.data(), src, sizeof port);
    }
}

class SimBoard {
  public:
    std::string lastError;

    int open(const SimConfig& cfg) {
        cfg_ = cfg;
        mem_ = std::make_unique<Memory>(cfg.memSize);
        if (!mem_->allocated()) {
            return fail(BW_ERR_NO_MEMORY, "cannot allocate " + std::to_string(cfg.memSize) + " bytes of board memory");
        }
        ctx_ = std::make_unique<VerilatedContext>();
        ctx_->fatalOnError(false);  // $stop must not abort the host process
        ctx_->traceEverOn(!cfg.trace.empty());
        top_ = std::make_unique<Vbitweave_top>(ctx_.get(), "top");
        if (!cfg.trace.empty()) {
            int rc = openTrace(cfg.trace);
            if (rc != BW_OK) return rc;
        }
        top_->clk = 0;
        top_->rst = 1;
        top_->reg_we = 0;
        for (int i = 0; i < kResetTicks; i++) tick(false, BW_REG_STATUS, 0, true);
        top_->rst = 0;
        tick(false, BW_REG_STATUS, 0, true);
        if (stopped()) return fail(BW_ERR_DEVICE, "design stopped during reset: " + stopMessage_);
        uint32_t id = peek(BW_REG_ID);
        if (id != BW_ID_VALUE) {
            return fail(BW_ERR_DEVICE, "register ID reads " + hex(id) + ", expected 0x42575631 (\"BWV1\"): not a bitweave design");
        }
        uint32_t bus = peek(BW_REG_PARAMS) & 0xFFFF;
        if (bus == 0 || bus % 8 != 0 || bus / 8 != sizeof(top_->m_rdata) || bus / 8 > kMaxBeatBytes) {
            return fail(BW_ERR_DEVICE, "PARAMS.BUS reads " + std::to_string(bus) + " but the m_rdata port holds " +
                                           std::to_string(8 * sizeof(top_->m_rdata)) + " bits");
        }
        if (cfg.bus != 0 && cfg.bus != bus) {
            return fail(BW_ERR_CONFIG, "config says bus=" + std::to_string(cfg.bus) + " but the design reports BUS=" +
                                           std::to_string(bus));
        }
        beatBytes_ = bus / 8;
        double bpc = cfg.bytesPerCycle > 0 ? std::min<double>(cfg.bytesPerCycle, beatBytes_) : beatBytes_;
        reader_ = std::make_unique<AxiReadSlave>(*mem_, fault_, beatBytes_, cfg.latency, cfg.maxOutstanding, bpc);
        reader_->stallAfter(cfg.stallReads);
        writer_ = std::make_unique<AxiWriteSlave>(*mem_, fault_, beatBytes_, cfg.latency, cfg.maxOutstanding, bpc);
        return BW_OK;
    }

    ~SimBoard() {
        if (top_) top_->final();
#if VM_TRACE
        if (trace_) trace_->close();
#endif
    }

    int memWrite(uint64_t addr, const void* src, uint64_t len) {
        if (len && !src) return fail(BW_ERR_ARGUMENT, "memory write from a null buffer");
        if (!mem_->contains(addr, len)) return outside("write", addr, len);
        if (len) std::memcpy(mem_->at(addr), src, len);
        return BW_OK;
    }

    int memRead(uint64_t addr, void* dst, uint64_t len) {
        if (len && !dst) return fail(BW_ERR_ARGUMENT, "memory read into a null buffer");
        if (!mem_->contains(addr, len)) return outside("read", addr, len);
        if (len) std::memcpy(dst, mem_->at(addr), len);
        return BW_OK;
    }

    // CONTROL writes mean the same through bw_reg_write as through bw_start/bw_soft_reset.
    int regWrite(uint32_t offset, uint32_t value) {
        if (int rc = checkOffset(offset)) return rc;
        if (stopped()) return fail(BW_ERR_DEVICE, "design stopped: " + stopMessage_);
        if (offset == BW_REG_CONTROL && (value & BW_CONTROL_SOFT_RESET)) {
            // Slaves are silent during the reset cycle, so nothing is accepted from the dying run.
            tick(true, offset, value, true);
            reader_->clear();
            writer_->clear();
            fault_.clear();
            return BW_OK;
        }
        if (offset == BW_REG_CONTROL && (value & BW_CONTROL_START) && fault_.set) {
            return fail(BW_ERR_BUS, "board faulted by an earlier bus error, soft reset first: " + fault_.message);
        }
        tick(true, offset, value, false);
        return BW_OK;
    }

    int regRead(uint32_t offset, uint32_t* value) {
        if (!value) return fail(BW_ERR_ARGUMENT, "register read into a null pointer");
        if (int rc = checkOffset(offset)) return rc;
        *value = peek(offset);
        return BW_OK;
    }

    int start() { return regWrite(BW_REG_CONTROL, BW_CONTROL_START); }

    int wait(uint64_t maxCycles, uint64_t timeoutMs) {
        using Clock = std::chrono::steady_clock;
        const uint64_t first = now_;
        const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
        uint32_t status = peek(BW_REG_STATUS);
        for (;;) {
            if (fault_.set) return fail(BW_ERR_BUS, "bus error at cycle " + std::to_string(now_) + ": " + fault_.message);
            if (stopped()) return fail(BW_ERR_DEVICE, "design stopped: " + stopMessage_);
            if (status & BW_STATUS_ERROR) {
                return fail(BW_ERR_DEVICE, "kernel error: STATUS=" + hex(status) + ", ERROR=" +
                                               std::to_string(peek(BW_REG_ERROR)) + ", PC=" + std::to_string(peek(BW_REG_PC)));
            }
            if ((status & BW_STATUS_DONE) || top_->irq) return BW_OK;
            uint64_t ran = now_ - first;
            if (maxCycles != 0 && ran >= maxCycles) {
                return fail(BW_TIMEOUT, "timeout: kernel not done after " + std::to_string(ran) +
                                            " cycles (max_cycles); " + where(status));
            }
            // The wall clock is read every 4096 cycles: cheap, and a few microseconds late at most.
            if (timeoutMs != 0 && (ran & 4095) == 0 && ran != 0 && Clock::now() >= deadline) {
                return fail(BW_TIMEOUT, "timeout: kernel not done after " + std::to_string(timeoutMs) + " ms (" +
                                            std::to_string(ran) + " cycles); " + where(status));
            }
            tick(false, BW_REG_STATUS, 0, false);
            status = top_->reg_rdata;  // reg_addr stayed on STATUS through the tick
        }
    }

    int softReset() { return regWrite(BW_REG_CONTROL, BW_CONTROL_SOFT_RESET); }

    uint64_t cycles() const { return now_; }

    int fail(int code, const std::string& message) {
        lastError = message;
        return code;
    }

  private:
    SimConfig cfg_;
    std::unique_ptr<Memory> mem_;
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vbitweave_top> top_;
#if VM_TRACE
    std::unique_ptr<VerilatedFstC> trace_;
#endif
    BusFault fault_;
    std::unique_ptr<AxiReadSlave> reader_;
    std::unique_ptr<AxiWriteSlave> writer_;
    uint32_t beatBytes_ = 0;
    uint64_t now_ = 0;
    std::string stopMessage_;

    int openTrace(const std::string& path) {
#if VM_TRACE
        // Verilator reports an unopenable file through vl_fatal; test it here for a clean error.
        if (FILE* f = std::fopen(path.c_str(), "wb")) {
            std::fclose(f);
        } else {
            return fail(BW_ERR_IO, "cannot write trace file " + path + ": " + std::strerror(errno));
        }
        trace_ = std::make_unique<VerilatedFstC>();
        top_->trace(trace_.get(), 99);
        trace_->open(path.c_str());
        return BW_OK;
#else
        return fail(BW_ERR_UNSUPPORTED, "trace=" + path + ": this simulated board was built without tracing "
                                        "(SimBoardBuilder.tracing(true) builds one with it)");
#endif
    }

    int checkOffset(uint32_t offset) {
        if (offset % 4 != 0 || offset > 0xFC) {
            return fail(BW_ERR_ARGUMENT, "register offset " + hex(offset) + " is not a 4-byte aligned offset below 0x100");
        }
        return BW_OK;
    }

    int outside(const char* what, uint64_t addr, uint64_t len) {
        return fail(BW_ERR_RANGE, std::string("memory ") + what + " of " + std::to_string(len) + " bytes at " + hex(addr) +
                                      " is outside board memory (" + std::to_string(mem_->size()) + " bytes)");
    }

    std::string where(uint32_t status) {
        return "STATUS=" + hex(status) + ", PC=" + std::to_string(peek(BW_REG_PC)) + ", cycle " + std::to_string(now_);
    }

    bool stopped() {
        if (!ctx_->gotFinish()) return false;
        if (stopMessage_.empty()) stopMessage_ = t_fatal.empty() ? "$finish or $stop" : t_fatal;
        return true;
    }

    // Combinational register read: no clock edge.
    uint32_t peek(uint32_t offset) {
        top_->reg_addr = offset;
        top_->eval();
        return top_->reg_rdata;
    }

    // One clock cycle. quiet: the memory presents nothing and accepts nothing (reset).
    void tick(bool regWe, uint32_t regAddr, uint32_t regData, bool quiet) {
        alignas(8) uint8_t beat[kMaxBeatBytes];
        bool slaves = reader_ && !quiet;
        if (slaves) {
            reader_->beginTick(now_);
            writer_->beginTick(now_);
            if (reader_->rvalid()) {
                reader_->beat(beat);
                putPort(top_->m_rdata, beat);
            }
        }
        top_->m_arready = slaves && reader_->arready();
        top_->m_rvalid = slaves && reader_->rvalid();
        top_->m_rlast = slaves && reader_->rlast();
        top_->m_awready = slaves && writer_->awready();
        top_->m_wready = slaves && writer_->wready();
        top_->m_bvalid = slaves && writer_->bvalid();
        top_->reg_we = regWe;
        top_->reg_addr = regAddr;
        top_->reg_wdata = regData;
        top_->clk = 0;
        top_->eval();
        dump(2 * now_);
        // Handshakes happen at the rising edge; sample them before it.
        const bool arFire = top_->m_arvalid && top_->m_arready;
        const uint64_t araddr = top_->m_araddr;
        const uint32_t arBeats = uint32_t(top_->m_arlen) + 1;
        const bool rFire = top_->m_rvalid && top_->m_rready;
        const bool awFire = top_->m_awvalid && top_->m_awready;
        const uint64_t awaddr = top_->m_awaddr;
        const uint32_t awBeats = uint32_t(top_->m_awlen) + 1;
        const bool wFire = top_->m_wvalid && top_->m_wready;
        const bool bFire = top_->m_bvalid && top_->m_bready;
        alignas(8) uint8_t strobe[kMaxBeatBytes / 8 + 8];
        bool wlast = false;
        if (wFire) {
            std::memcpy(beat, storage(top_->m_wdata), beatBytes_);
            std::memcpy(strobe, storage(top_->m_wstrb), sizeof(top_->m_wstrb));
            wlast = top_->m_wlast;
        }
        top_->clk = 1;
        top_->eval();
        dump(2 * now_ + 1);
        if (slaves) {
            if (rFire) reader_->beatTaken();
            if (arFire) reader_->accept(araddr, arBeats, now_);
            if (wFire) writer_->beatTaken(beat, strobe, wlast, now_);
            if (awFire) writer_->accept(awaddr, awBeats);
            if (bFire) writer_->responseTaken();
        }
        now_++;
    }

    void dump(uint64_t time) {
#if VM_TRACE
        if (trace_) trace_->dump(time);
#else
        (void)time;
#endif
    }
};

}  // namespace

struct bw_board {
    SimBoard sim;
};

namespace {
// Runs an ABI call without letting a C++ exception cross the C boundary.
template <typename F>
int guarded(bw_board* board, F&& call) {
    if (!board) return BW_ERR_ARGUMENT;
    try {
        return call(board->sim);
    } catch (const std::bad_alloc&) {
        return board->sim.fail(BW_ERR_NO_MEMORY, "out of host memory");
    } catch (const std::exception& e) {
        return board->sim.fail(BW_ERR_IO, std::string("simulator failure: ") + e.what());
    }
}
}  // namespace

// Verilator's fatal errors (and the design's $fatal) must not abort the JVM hosting us: record
// the message and stop the design; the next call reports it. Compiled with -DVL_USER_FATAL.
void vl_fatal(const char* filename, int linenum, const char* hier, const char* msg) VL_MT_UNSAFE {
    (void)hier;
    t_fatal = std::string(filename && filename[0] ? filename : "verilator") + ":" + std::to_string(linenum) + ": " +
              (msg ? msg : "fatal error");
    Verilated::threadContextp()->gotError(true);
    Verilated::threadContextp()->gotFinish(true);
}

// The default exits the process on a second $finish. Compiled with -DVL_USER_FINISH.
void vl_finish(const char* filename, int linenum, const char* hier) VL_MT_UNSAFE {
    (void)hier;
    if (t_fatal.empty()) t_fatal = std::string(filename) + ":" + std::to_string(linenum) + ": $finish";
    Verilated::threadContextp()->gotFinish(true);
}

extern "C" {

BW_API uint32_t bw_abi_version(void) { return BW_ABI_VERSION; }

BW_API int bw_open(const char* config, bw_board** out) {
    if (!out) {
        t_openError = "bw_open: out is null";
        return BW_ERR_ARGUMENT;
    }
    *out = nullptr;
    t_fatal.clear();
    try {
        SimConfig cfg;
        std::string problem = parseConfig(config, cfg);
        if (!problem.empty()) {
            t_openError = problem;
            return BW_ERR_CONFIG;
        }
        std::unique_ptr<bw_board> board(new bw_board());
        int rc = board->sim.open(cfg);
        if (rc != BW_OK) {
            t_openError = board->sim.lastError;
            return rc;
        }
        *out = board.release();
        return BW_OK;
    } catch (const std::bad_alloc&) {
        t_openError = "out of host memory";
        return BW_ERR_NO_MEMORY;
    } catch (const std::exception& e) {
        t_openError = std::string("simulator failure: ") + e.what();
        return BW_ERR_IO;
    }
}

BW_API void bw_close(bw_board* board) { delete board; }

BW_API int bw_mem_write(bw_board* b, uint64_t addr, const void* src, uint64_t len) {
    return guarded(b, [&](SimBoard& s) { return s.memWrite(addr, src, len); });
}

BW_API int bw_mem_read(bw_board* b, uint64_t addr, void* dst, uint64_t len) {
    return guarded(b, [&](SimBoard& s) { return s.memRead(addr, dst, len); });
}

BW_API int bw_reg_write(bw_board* b, uint32_t offset, uint32_t value) {
    return guarded(b, [&](SimBoard& s) { return s.regWrite(offset, value); });
}

BW_API int bw_reg_read(bw_board* b, uint32_t offset, uint32_t* value) {
    return guarded(b, [&](SimBoard& s) { return s.regRead(offset, value); });
}

BW_API int bw_start(bw_board* b) {
    return guarded(b, [&](SimBoard& s) { return s.start(); });
}

BW_API int bw_wait(bw_board* b, uint64_t max_cycles, uint64_t timeout_ms) {
    return guarded(b, [&](SimBoard& s) { return s.wait(max_cycles, timeout_ms); });
}

BW_API int bw_soft_reset(bw_board* b) {
    return guarded(b, [&](SimBoard& s) { return s.softReset(); });
}

BW_API uint64_t bw_cycles(const bw_board* b) { return b ? b->sim.cycles() : 0; }

BW_API const char* bw_last_error(const bw_board* b) {
    return b ? b->sim.lastError.c_str() : t_openError.c_str();
}

}  // extern "C"
