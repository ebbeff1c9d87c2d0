// The simulated board's memory: a byte array behind an AXI4 read slave and write slave.
// Independent of Verilator: the harness copies port values in and out.
//
// Timing (docs/board-abi.md), in cycles counted by the harness, "tick t" being the cycle whose
// rising edge takes the counter from t to t + 1:
// - an AR accepted in tick t has its first beat presented in tick t + latency; beats come in
//   request order, at most one per tick, and only while the read byte budget holds a beat;
// - the budget gains bytes_per_cycle each tick, is capped at one beat (idle time cannot be
//   saved up), and pays one beat per handshake. bytes_per_cycle = BUS/8 means a beat a tick;
//   BUS/16 a beat every second tick;
// - writes have their own budget of the same rate; the B response of a burst is presented
//   latency ticks after its last W beat;
// - at most max_outstanding read bursts (accepted, not fully returned) and write bursts
//   (accepted, response not yet taken) are in flight.
// Illegal bursts (outside memory, misaligned, crossing 4 KiB, bad wlast) record a fault and
// still complete with zero data (reads) or dropped data (writes), so a faulty design never
// hangs the simulation; the harness stops at the fault.
#ifndef BITWEAVE_AXI_MEMORY_H
#define BITWEAVE_AXI_MEMORY_H

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>

namespace bwsim {

// The first illegal access since the last soft reset; later ones are usually its echoes.
struct BusFault {
    bool set = false;
    std::string message;
    void raise(const std::string& m) {
        if (!set) { set = true; message = m; }
    }
    void clear() { set = false; message.clear(); }
};

inline std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return buf;
}

class Memory {
  public:
    explicit Memory(uint64_t size) : size_(size), bytes_(static_cast<uint8_t*>(std::calloc(size, 1))) {}
    ~Memory() { std::free(bytes_); }
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;
    bool allocated() const { return bytes_ != nullptr; }
    uint64_t size() const { return size_; }
    bool contains(uint64_t addr, uint64_t len) const { return len <= size_ && addr <= size_ - len; }
    uint8_t* at(uint64_t addr) { return bytes_ + addr; }

  private:
    uint64_t size_;
    uint8_t* bytes_;
};

// Bandwidth throttle in 1/65536 byte units, so the schedule is exact integer arithmetic. The
// gain is rounded up: a rate like BUS/8 / 3 must yield a beat every 3 cycles, not every 4.
class ByteBudget {
  public:
    ByteBudget(double bytesPerCycle, uint32_t beatBytes)
        : beat_(uint64_t(beatBytes) << 16),
          gain_(std::min<uint64_t>(beat_, std::max<uint64_t>(1, uint64_t(std::ceil(bytesPerCycle * 65536.0))))),
          level_(beat_) {}
    void refill() { level_ = std::min(level_ + gain_, beat_); }
    bool holdsBeat() const { return level_ >= beat_; }
    void pay() { level_ -= beat_; }
    void fill() { level_ = beat_; }

  private:
    uint64_t beat_, gain_, level_;
};

struct Burst {
    uint64_t addr;
    uint32_t beats;
    uint32_t done = 0;      // beats transferred
    uint64_t readyTick = 0; // first tick its data (reads) may be presented
    bool bad = false;       // faulted: data is zero / dropped
};

// Checks one AXI burst against memory and the rules of docs/hardware.md.
inline bool checkBurst(const char* what, uint64_t addr, uint32_t beats, uint32_t beatBytes,
                       const Memory& mem, BusFault& fault) {
    uint64_t bytes = uint64_t(beats) * beatBytes;
    std::string where = std::string(what) + " burst at " + hex(addr) + " (" + std::to_string(beats) +
                        " beats of " + std::to_string(beatBytes) + " bytes)";
    if (addr % beatBytes != 0) {
        fault.raise(where + " is not aligned to the bus width");
    } else if (!mem.contains(addr, bytes)) {
        fault.raise(where + " is outside board memory (" + std::to_string(mem.size()) + " bytes)");
    } else if ((addr >> 12) != ((addr + bytes - 1) >> 12)) {
        fault.raise(where + " crosses a 4 KiB boundary");
    } else {
        return true;
    }
    return false;
}

class AxiReadSlave {
  public:
    AxiReadSlave(Memory& mem, BusFault& fault, uint32_t beatBytes, uint32_t latency,
                 uint32_t maxOutstanding, double bytesPerCycle)
        : mem_(mem), fault_(fault), beatBytes_(beatBytes), latency_(latency),
          maxOutstanding_(maxOutstanding), budget_(bytesPerCycle, beatBytes) {}

    // Fault injection: after `beats` more read beats no read data comes back (a hung slave), until clear().
    void stallAfter(uint64_t beats) { stallLeft_ = beats; stalling_ = beats > 0; }
    // Once per tick, before the port values are taken.
    void beginTick(uint64_t tick) {
        budget_.refill();
        rvalid_ = !queue_.empty() && tick >= queue_.front().readyTick && budget_.holdsBeat() && !(stalling_ && stallLeft_ == 0);
    }
    bool arready() const { return queue_.size() < maxOutstanding_; }
    bool rvalid() const { return rvalid_; }
    bool rlast() const { return rvalid_ && queue_.front().done + 1 == queue_.front().beats; }
    // The presented beat, beatBytes bytes.
    void beat(uint8_t* out) {
        const Burst& b = queue_.front();
        if (b.bad) std::memset(out, 0, beatBytes_);
        else std::memcpy(out, mem_.at(b.addr + uint64_t(b.done) * beatBytes_), beatBytes_);
    }
    void beatTaken() {
        budget_.pay();
        if (stalling_ && stallLeft_ > 0) --stallLeft_;
        if (++queue_.front().done == queue_.front().beats) queue_.pop_front();
    }
    void accept(uint64_t addr, uint32_t beats, uint64_t tick) {
        Burst b{addr, beats};
        b.readyTick = tick + latency_;
        b.bad = !checkBurst("read", addr, beats, beatBytes_, mem_, fault_);
        queue_.push_back(b);
    }
    // A soft reset also heals an injected stall: the injection is one-shot.
    void clear() { queue_.clear(); budget_.fill(); rvalid_ = false; stalling_ = false; }

  private:
    Memory& mem_;
    BusFault& fault_;
    uint64_t stallLeft_ = 0;
    bool stalling_ = false;
    uint32_t beatBytes_, latency_, maxOutstanding_;
    ByteBudget budget_;
    std::deque<Burst> queue_;
    bool rvalid_ = false;
};

class AxiWriteSlave {
  public:
    AxiWriteSlave(Memory& mem, BusFault& fault, uint32_t beatBytes, uint32_t latency,
                  uint32_t maxOutstanding, double bytesPerCycle)
        : mem_(mem), fault_(fault), beatBytes_(beatBytes), latency_(latency),
          maxOutstanding_(maxOutstanding), budget_(bytesPerCycle, beatBytes) {}

    void beginTick(uint64_t tick) {
        budget_.refill();
        wready_ = !data_.empty() && budget_.holdsBeat();
        bvalid_ = !responses_.empty() && tick >= responses_.front();
    }
    bool awready() const { return data_.size() + responses_.size() < maxOutstanding_; }
    bool wready() const { return wready_; }
    bool bvalid() const { return bvalid_; }
    void accept(uint64_t addr, uint32_t beats) {
        Burst b{addr, beats};
        b.bad = !checkBurst("write", addr, beats, beatBytes_, mem_, fault_);
        data_.push_back(b);
    }
    // One W beat: data and strobe (one bit per byte, least significant first) of beatBytes.
    void beatTaken(const uint8_t* data, const uint8_t* strobe, bool wlast, uint64_t tick) {
        budget_.pay();
        Burst& b = data_.front();
        bool last = b.done + 1 == b.beats;
        if (wlast != last) {
            fault_.raise("write burst at " + hex(b.addr) + ": wlast is " + (wlast ? "1" : "0") + " on beat " +
                         std::to_string(b.done + 1) + " of " + std::to_string(b.beats));
        }
        if (!b.bad) {
            uint8_t* dst = mem_.at(b.addr + uint64_t(b.done) * beatBytes_);
            for (uint32_t i = 0; i < beatBytes_; i++) {
                if (strobe[i >> 3] >> (i & 7) & 1) dst[i] = data[i];
            }
        }
        if (++b.done == b.beats) {
            data_.pop_front();
            responses_.push_back(tick + latency_);
        }
    }
    void responseTaken() { responses_.pop_front(); }
    void clear() { data_.clear(); responses_.clear(); budget_.fill(); wready_ = bvalid_ = false; }

  private:
    Memory& mem_;
    BusFault& fault_;
    uint32_t beatBytes_, latency_, maxOutstanding_;
    ByteBudget budget_;
    std::deque<Burst> data_;         // accepted AWs, oldest receives the W beats
    std::deque<uint64_t> responses_; // tick from which each B response is presented
    bool wready_ = false, bvalid_ = false;
};

}  // namespace bwsim

#endif
