// ap_int.h: a minimal stand-in for the Xilinx arbitrary-precision integer types, for C SIMULATION
// ONLY (bitweave csim with g++). No Debian or Maven package provides the Vitis header, so bitweave
// writes this one into hls/csim/. It is not on Vitis HLS's include path: run_hls.tcl must use the
// tool's own ap_int.h, and synthesis never sees this file.
//
// What it implements, with the Xilinx semantics the generated kernel relies on:
//   - ap_int<W> (two's complement) and ap_uint<W> (unsigned), 1 <= W <= 4096;
//   - assignment and construction from any width or native integer wrap around to W bits
//     (truncation of the high bits, then sign or zero extension by the target's signedness);
//   - +, - (always signed), *, &, |, ^ between ap types return the full-precision type
//     (max width + 1, or W1 + W2 for *), so no intermediate result wraps; a native integer operand
//     counts as an ap type of its own width and signedness;
//   - << and >> return the operand's own type (bits shifted past W are lost; >> is arithmetic for
//     ap_int), as in Vitis;
//   - comparisons by value, unary minus, compound assignment (computed exactly, then wrapped);
//   - bit select x[i] and range x.range(hi, lo) (read as to_uint64() for at most 64 bits, or
//     assigned), to_int64(), to_uint64(), to_int(), to_uint().
// Nothing else (no implicit conversion to native types, no ap_fixed, no printing).
#ifndef BITWEAVE_CSIM_AP_INT_H
#define BITWEAVE_CSIM_AP_INT_H

#include <cstdint>
#include <type_traits>

namespace bw_ap {
constexpr int words(int w) { return (w + 63) / 64; }
constexpr int max2(int a, int b) { return a > b ? a : b; }
// Width of an operand once it is widened to hold the other operand's values too.
constexpr int common(int w1, bool s1, int w2, bool s2) { return max2(w1 + (!s1 && s2 ? 1 : 0), w2 + (!s2 && s1 ? 1 : 0)); }
template <typename T> struct native {
    static constexpr int width = static_cast<int>(sizeof(T) * 8);
    static constexpr bool is_signed = std::is_signed<T>::value;
};
template <> struct native<bool> {
    static constexpr int width = 1;
    static constexpr bool is_signed = false;
};
}  // namespace bw_ap

template <int W, bool S> class ap_base;
template <int W> using ap_int = ap_base<W, true>;
template <int W> using ap_uint = ap_base<W, false>;

template <int W, bool S> class ap_bit_ref;
template <int W, bool S> class ap_range_ref;

template <int W, bool S> class ap_base {
    static_assert(W >= 1 && W <= 4096, "ap_int stand-in: width must be in [1, 4096]");

  public:
    static constexpr int N = bw_ap::words(W);
    uint64_t v[N];  // the value sign- (ap_int) or zero- (ap_uint) extended to N * 64 bits

    ap_base() {
        for (int i = 0; i < N; i++) v[i] = 0;
    }
    template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
    ap_base(T x) {
        const bool neg = bw_ap::native<T>::is_signed && x < 0;
        v[0] = static_cast<uint64_t>(x);
        for (int i = 1; i < N; i++) v[i] = neg ? ~0ULL : 0ULL;
        normalize();
    }
    template <int W2, bool S2>
    ap_base(const ap_base<W2, S2>& o) {
        const uint64_t fill = o.negative() ? ~0ULL : 0ULL;
        for (int i = 0; i < N; i++) v[i] = i < ap_base<W2, S2>::N ? o.v[i] : fill;
        normalize();
    }
    template <int W2, bool S2>
    ap_base(const ap_range_ref<W2, S2>& r);

    bool negative() const { return S && (v[N - 1] >> 63) != 0; }

    // Re-establishes the invariant after a word operation: bits at and above W follow bit W-1
    // (ap_int) or are zero (ap_uint). This is the wrap-around on assignment.
    void normalize() {
        const int top = W - 64 * (N - 1);
        if (top == 64) return;
        const uint64_t mask = ~0ULL >> (64 - top);
        if (S && ((v[N - 1] >> (top - 1)) & 1)) v[N - 1] |= ~mask;
        else v[N - 1] &= mask;
    }

    int64_t to_int64() const { return static_cast<int64_t>(v[0]); }
    uint64_t to_uint64() const { return v[0]; }
    int to_int() const { return static_cast<int>(static_cast<int32_t>(v[0])); }
    unsigned to_uint() const { return static_cast<unsigned>(v[0]); }
    int length() const { return W; }

    // bits [lo, lo + len) as an unsigned value, len <= 64
    uint64_t get_bits(int lo, int len) const {
        const int w = lo / 64, off = lo % 64;
        uint64_t r = v[w] >> off;
        if (off != 0 && w + 1 < N) r |= v[w + 1] << (64 - off);
        return len >= 64 ? r : r & ((1ULL << len) - 1);
    }
    void set_bits(int lo, int len, uint64_t x) {
        const uint64_t mask = len >= 64 ? ~0ULL : (1ULL << len) - 1;
        x &= mask;
        const int w = lo / 64, off = lo % 64;
        v[w] = (v[w] & ~(mask << off)) | (x << off);
        if (off != 0 && w + 1 < N && off + len > 64) {
            const int spill = off + len - 64;
            const uint64_t m2 = (1ULL << spill) - 1;
            v[w + 1] = (v[w + 1] & ~m2) | (x >> (64 - off));
        }
        normalize();
    }

    ap_range_ref<W, S> range(int hi, int lo) { return ap_range_ref<W, S>(this, hi, lo); }
    ap_base<W, false> range(int hi, int lo) const;
    ap_bit_ref<W, S> operator[](int i) { return ap_bit_ref<W, S>(this, i); }
    bool operator[](int i) const { return get_bits(i, 1) != 0; }

    ap_base operator<<(int s) const {
        ap_base r;
        if (s <= 0) return s == 0 ? *this : *this >> -s;
        const int ws = s / 64, bs = s % 64;
        for (int i = N - 1; i >= 0; i--) {
            uint64_t x = i - ws >= 0 ? v[i - ws] << bs : 0;
            if (bs != 0 && i - ws - 1 >= 0) x |= v[i - ws - 1] >> (64 - bs);
            r.v[i] = x;
        }
        r.normalize();
        return r;
    }
    ap_base operator>>(int s) const {
        if (s <= 0) return s == 0 ? *this : *this << -s;
        ap_base r;
        const uint64_t fill = negative() ? ~0ULL : 0ULL;
        const int ws = s / 64, bs = s % 64;
        for (int i = 0; i < N; i++) {
            const uint64_t lo = i + ws < N ? v[i + ws] : fill;
            const uint64_t hi = i + ws + 1 < N ? v[i + ws + 1] : fill;
            r.v[i] = bs == 0 ? lo : (lo >> bs) | (hi << (64 - bs));
        }
        r.normalize();
        return r;
    }
    ap_base& operator<<=(int s) { return *this = *this << s; }
    ap_base& operator>>=(int s) { return *this = *this >> s; }

    template <typename T> ap_base& operator+=(const T& o) { return *this = *this + o; }
    template <typename T> ap_base& operator-=(const T& o) { return *this = *this - o; }
    template <typename T> ap_base& operator*=(const T& o) { return *this = *this * o; }
    template <typename T> ap_base& operator&=(const T& o) { return *this = *this & o; }
    template <typename T> ap_base& operator|=(const T& o) { return *this = *this | o; }
    template <typename T> ap_base& operator^=(const T& o) { return *this = *this ^ o; }
    ap_base& operator++() { return *this = *this + 1; }
    ap_base& operator--() { return *this = *this - 1; }

    ap_base<W + 1, true> operator-() const { return ap_base<W + 1, true>(0) - *this; }
    ap_base operator~() const {
        ap_base r;
        for (int i = 0; i < N; i++) r.v[i] = ~v[i];
        r.normalize();
        return r;
    }
};

// A bit of an ap value: reads as bool, assignable.
template <int W, bool S> class ap_bit_ref {
    ap_base<W, S>* p_;
    int i_;

  public:
    ap_bit_ref(ap_base<W, S>* p, int i) : p_(p), i_(i) {}
    operator bool() const { return p_->get_bits(i_, 1) != 0; }
    ap_bit_ref& operator=(bool b) {
        p_->set_bits(i_, 1, b ? 1 : 0);
        return *this;
    }
};

// Bits [lo, hi] of an ap value: read as an unsigned value, or assigned (the source wraps to the range).
template <int W, bool S> class ap_range_ref {
    ap_base<W, S>* p_;
    int hi_, lo_;

  public:
    ap_range_ref(ap_base<W, S>* p, int hi, int lo) : p_(p), hi_(hi), lo_(lo) {}
    // copying the reference is fine; assigning through it writes the bits (below)
    ap_range_ref(const ap_range_ref&) = default;
    int length() const { return hi_ - lo_ + 1; }
    uint64_t to_uint64() const { return p_->get_bits(lo_, length()); }
    int64_t to_int64() const { return static_cast<int64_t>(to_uint64()); }
    unsigned to_uint() const { return static_cast<unsigned>(to_uint64()); }
    int get_lo() const { return lo_; }
    const ap_base<W, S>& base() const { return *p_; }
    template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
    ap_range_ref& operator=(T x) {
        const ap_base<64, bw_ap::native<T>::is_signed> w(x);
        for (int b = 0; b < length(); b += 64) {
            const int len = length() - b < 64 ? length() - b : 64;
            p_->set_bits(lo_ + b, len, b == 0 ? w.v[0] : (w.negative() ? ~0ULL : 0ULL));
        }
        return *this;
    }
    template <int W2, bool S2>
    ap_range_ref& operator=(const ap_base<W2, S2>& x) {
        for (int b = 0; b < length(); b += 64) {
            const int len = length() - b < 64 ? length() - b : 64;
            const uint64_t word = b / 64 < ap_base<W2, S2>::N ? x.v[b / 64] : (x.negative() ? ~0ULL : 0ULL);
            p_->set_bits(lo_ + b, len, word);
        }
        return *this;
    }
    ap_range_ref& operator=(const ap_range_ref& o) { return *this = ap_base<4096, false>(o); }
};

template <int W, bool S>
template <int W2, bool S2>
ap_base<W, S>::ap_base(const ap_range_ref<W2, S2>& r) {
    for (int i = 0; i < N; i++) v[i] = 0;
    for (int b = 0; b < r.length() && b < 64 * N; b += 64) {
        const int len = r.length() - b < 64 ? r.length() - b : 64;
        v[b / 64] = r.base().get_bits(r.get_lo() + b, len);
    }
    normalize();
}

template <int W, bool S>
ap_base<W, false> ap_base<W, S>::range(int hi, int lo) const {
    ap_base<W, false> r;
    const int len = hi - lo + 1;
    for (int b = 0; b < len; b += 64) r.v[b / 64] = get_bits(lo + b, len - b < 64 ? len - b : 64);
    r.normalize();
    return r;
}

namespace bw_ap {
template <int W, bool S>
ap_base<W, S> add(const ap_base<W, S>& a, const ap_base<W, S>& b) {
    ap_base<W, S> r;
    uint64_t carry = 0;
    for (int i = 0; i < ap_base<W, S>::N; i++) {
        const uint64_t s = a.v[i] + carry;
        const uint64_t c1 = s < carry ? 1 : 0;
        r.v[i] = s + b.v[i];
        carry = c1 + (r.v[i] < s ? 1 : 0);
    }
    r.normalize();
    return r;
}
template <int W, bool S>
ap_base<W, S> mul(const ap_base<W, S>& a, const ap_base<W, S>& b) {
    constexpr int n = ap_base<W, S>::N;
    ap_base<W, S> r;
    for (int i = 0; i < n; i++) {
        unsigned __int128 carry = 0;
        for (int j = 0; i + j < n; j++) {
            const unsigned __int128 t = static_cast<unsigned __int128>(a.v[i]) * b.v[j] + r.v[i + j] + carry;
            r.v[i + j] = static_cast<uint64_t>(t);
            carry = t >> 64;
        }
    }
    r.normalize();
    return r;
}
template <int W, bool S>
int compare(const ap_base<W, S>& a, const ap_base<W, S>& b) {
    if (a.negative() != b.negative()) return a.negative() ? -1 : 1;
    for (int i = ap_base<W, S>::N - 1; i >= 0; i--) {
        if (a.v[i] != b.v[i]) return a.v[i] < b.v[i] ? -1 : 1;
    }
    return 0;
}
// The ap type a native integer operand stands for.
template <typename T> using as_ap = ap_base<native<T>::width, native<T>::is_signed>;
}  // namespace bw_ap

#define BW_AP_RESULT(NAME, WIDTH, SIGNED)                                                             \
    template <int W1, bool S1, int W2, bool S2> struct NAME {                                         \
        static constexpr int w = (WIDTH);                                                             \
        static constexpr bool s = (SIGNED);                                                           \
        typedef ap_base<w, s> type;                                                                   \
    };
BW_AP_RESULT(plus_t, bw_ap::common(W1, S1, W2, S2) + 1, S1 || S2)
BW_AP_RESULT(minus_t, bw_ap::common(W1, S1, W2, S2) + 1, true)
BW_AP_RESULT(mult_t, W1 + W2, S1 || S2)
BW_AP_RESULT(logic_t, bw_ap::common(W1, S1, W2, S2), S1 || S2)
#undef BW_AP_RESULT

template <int W1, bool S1, int W2, bool S2>
typename plus_t<W1, S1, W2, S2>::type operator+(const ap_base<W1, S1>& a, const ap_base<W2, S2>& b) {
    typedef typename plus_t<W1, S1, W2, S2>::type R;
    return bw_ap::add(R(a), R(b));
}
template <int W1, bool S1, int W2, bool S2>
typename minus_t<W1, S1, W2, S2>::type operator-(const ap_base<W1, S1>& a, const ap_base<W2, S2>& b) {
    typedef typename minus_t<W1, S1, W2, S2>::type R;
    return bw_ap::add(R(a), bw_ap::add(~R(b), R(1)));  // a + (~b + 1)
}
template <int W1, bool S1, int W2, bool S2>
typename mult_t<W1, S1, W2, S2>::type operator*(const ap_base<W1, S1>& a, const ap_base<W2, S2>& b) {
    typedef typename mult_t<W1, S1, W2, S2>::type R;
    return bw_ap::mul(R(a), R(b));
}
#define BW_AP_LOGIC(OP)                                                                               \
    template <int W1, bool S1, int W2, bool S2>                                                       \
    typename logic_t<W1, S1, W2, S2>::type operator OP(const ap_base<W1, S1>& a, const ap_base<W2, S2>& b) { \
        typedef typename logic_t<W1, S1, W2, S2>::type R;                                             \
        R x(a), y(b), r;                                                                              \
        for (int i = 0; i < R::N; i++) r.v[i] = x.v[i] OP y.v[i];                                     \
        r.normalize();                                                                                \
        return r;                                                                                     \
    }
BW_AP_LOGIC(&)
BW_AP_LOGIC(|)
BW_AP_LOGIC(^)
#undef BW_AP_LOGIC

#define BW_AP_COMPARE(OP)                                                                             \
    template <int W1, bool S1, int W2, bool S2>                                                       \
    bool operator OP(const ap_base<W1, S1>& a, const ap_base<W2, S2>& b) {                            \
        typedef ap_base<bw_ap::common(W1, S1, W2, S2) + 1, true> R;                                   \
        return bw_ap::compare(R(a), R(b)) OP 0;                                                       \
    }
BW_AP_COMPARE(==)
BW_AP_COMPARE(!=)
BW_AP_COMPARE(<)
BW_AP_COMPARE(<=)
BW_AP_COMPARE(>)
BW_AP_COMPARE(>=)
#undef BW_AP_COMPARE

// A native integer operand on either side behaves as the ap type of its width and signedness.
#define BW_AP_NATIVE(OP)                                                                              \
    template <int W, bool S, typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0> \
    auto operator OP(const ap_base<W, S>& a, T b) -> decltype(a OP bw_ap::as_ap<T>(b)) {              \
        return a OP bw_ap::as_ap<T>(b);                                                               \
    }                                                                                                 \
    template <int W, bool S, typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0> \
    auto operator OP(T a, const ap_base<W, S>& b) -> decltype(bw_ap::as_ap<T>(a) OP b) {              \
        return bw_ap::as_ap<T>(a) OP b;                                                               \
    }
BW_AP_NATIVE(+)
BW_AP_NATIVE(-)
BW_AP_NATIVE(*)
BW_AP_NATIVE(&)
BW_AP_NATIVE(|)
BW_AP_NATIVE(^)
BW_AP_NATIVE(==)
BW_AP_NATIVE(!=)
BW_AP_NATIVE(<)
BW_AP_NATIVE(<=)
BW_AP_NATIVE(>)
BW_AP_NATIVE(>=)
#undef BW_AP_NATIVE

#endif  // BITWEAVE_CSIM_AP_INT_H
