package dev.bitweave.hw.hls;

import dev.bitweave.backend.hls.HlsGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The csim ap_int.h stand-in against BigInteger: a C++ program prints the results of the operations
 * the generated kernel uses (wrap-around on assignment, sign extension, full-precision + - *,
 * same-width shifts, slicing and range assignment, comparisons) at widths up to 1024 bits, and
 * Java computes what the Xilinx semantics say they must be.
 */
class ApIntStandInTest {
    private static BigInteger wrap(BigInteger v, int w, boolean signed) {
        BigInteger m = v.mod(BigInteger.ONE.shiftLeft(w));
        return signed && m.testBit(w - 1) ? m.subtract(BigInteger.ONE.shiftLeft(w)) : m;
    }

    private record Case(String expr, BigInteger want) {
    }

    @Test
    void operationsFollowTheXilinxSemantics(@TempDir Path dir) throws IOException, InterruptedException {
        Random rnd = new Random(7);
        List<Case> cases = new ArrayList<>();
        int[] widths = {1, 7, 8, 13, 32, 63, 64, 65, 100, 128, 129, 512, 1024};
        for (int w : widths) {
            for (int k = 0; k < 4; k++) {
                long a = rnd.nextLong();
                long b = rnd.nextLong() >> rnd.nextInt(60);
                String av = a + "LL";
                String bv = b + "LL";
                BigInteger A = BigInteger.valueOf(a);
                BigInteger B = BigInteger.valueOf(b);
                // assignment wraps to W bits, then extends by the target's signedness
                cases.add(new Case("ap_int<" + w + ">(" + av + ")", wrap(A, w, true)));
                cases.add(new Case("ap_uint<" + w + ">(" + av + ")", wrap(A, w, false)));
                // full-precision arithmetic: no wrap before the final assignment to ap_int<2048>
                cases.add(new Case("ap_int<2048>(ap_int<" + w + ">(" + av + ") * ap_int<" + w + ">(" + bv + "))",
                        wrap(A, w, true).multiply(wrap(B, w, true))));
                cases.add(new Case("ap_int<2048>(ap_uint<" + w + ">(" + av + ") + ap_uint<" + w + ">(" + bv + "))",
                        wrap(A, w, false).add(wrap(B, w, false))));
                cases.add(new Case("ap_int<2048>(ap_uint<" + w + ">(" + av + ") - ap_uint<" + w + ">(" + bv + "))",
                        wrap(A, w, false).subtract(wrap(B, w, false))));
                cases.add(new Case("ap_int<2048>(ap_int<" + w + ">(" + av + ") - ap_int<" + w + ">(" + bv + "))",
                        wrap(A, w, true).subtract(wrap(B, w, true))));
                // a product wraps when assigned to a narrower type
                cases.add(new Case("ap_int<" + w + ">(ap_int<64>(" + av + ") * ap_int<64>(" + bv + "))", wrap(A.multiply(B), w, true)));
                // shifts keep the operand's width: bits past W are lost, >> is arithmetic for ap_int
                int s = rnd.nextInt(Math.max(1, w));
                cases.add(new Case("(ap_int<" + w + ">(" + av + ") << " + s + ")", wrap(wrap(A, w, true).shiftLeft(s), w, true)));
                cases.add(new Case("(ap_int<" + w + ">(" + av + ") >> " + s + ")", wrap(A, w, true).shiftRight(s)));
                cases.add(new Case("(ap_uint<" + w + ">(" + av + ") >> " + s + ")", wrap(A, w, false).shiftRight(s)));
                // comparison by value across widths and signedness
                cases.add(new Case("ap_int<8>(ap_int<" + w + ">(" + av + ") < ap_uint<" + w + ">(" + bv + ") ? 1 : 0)",
                        BigInteger.valueOf(wrap(A, w, true).compareTo(wrap(B, w, false)) < 0 ? 1 : 0)));
                if (w >= 16) {
                    int lo = rnd.nextInt(w - 8);
                    int len = Math.min(64, 1 + rnd.nextInt(w - lo));
                    BigInteger u = wrap(A.shiftLeft(w > 64 ? w - 64 : 0).or(wrap(B, 64, false)), w, false);
                    String uv = "(ap_uint<" + w + ">(ap_uint<" + w + ">(" + av + ") << " + (w > 64 ? w - 64 : 0) + ") | ap_uint<" + w + ">(ap_uint<64>(" + bv + ")))";
                    // slicing reads bits [lo, lo + len) as unsigned
                    cases.add(new Case("ap_uint<64>(" + uv + ".range(" + (lo + len - 1) + ", " + lo + ").to_uint64())",
                            u.shiftRight(lo).mod(BigInteger.ONE.shiftLeft(len))));
                    // range assignment replaces exactly those bits
                    BigInteger mask = BigInteger.ONE.shiftLeft(len).subtract(BigInteger.ONE).shiftLeft(lo);
                    BigInteger put = wrap(B, len, false).shiftLeft(lo);
                    cases.add(new Case("set_range<" + w + ">(" + uv + ", " + (lo + len - 1) + ", " + lo + ", " + bv + ")",
                            u.andNot(mask).or(put)));
                }
            }
        }
        // sign extension from narrow to wide and back
        cases.add(new Case("ap_int<1024>(ap_int<5>(-3))", BigInteger.valueOf(-3)));
        cases.add(new Case("ap_int<1024>(ap_uint<5>(-3))", BigInteger.valueOf(29)));
        cases.add(new Case("ap_int<1024>(ap_int<3>(ap_int<1024>(-3) * ap_int<1024>(5)))", wrap(BigInteger.valueOf(-15), 3, true)));

        StringBuilder cpp = new StringBuilder("""
                #include <cstdio>
                #include "ap_int.h"
                template <int W> ap_uint<W> set_range(ap_uint<W> v, int hi, int lo, long long x) { v.range(hi, lo) = x; return v; }
                // prints an ap value in hexadecimal, two's complement over 2048 bits
                template <int W, bool S> void show(const ap_base<W, S>& x) {
                    const ap_int<2048> v(x);
                    for (int i = ap_int<2048>::N - 1; i >= 0; i--) std::printf("%016llx", static_cast<unsigned long long>(v.v[i]));
                    std::printf("\\n");
                }
                int main() {
                """);
        for (Case c : cases) cpp.append("    show(").append(c.expr()).append(");\n");
        cpp.append("    return 0;\n}\n");
        Files.writeString(dir.resolve("ap_int.h"), HlsGenerator.apInt());
        Files.writeString(dir.resolve("t.cpp"), cpp.toString());
        run(dir, "g++", "-std=c++14", "-Wall", "-Wextra", "-Werror", "-O2", "t.cpp", "-o", "t");
        List<String> lines = run(dir, dir.resolve("t").toString()).lines().toList();
        assertEquals(cases.size(), lines.size());
        for (int i = 0; i < cases.size(); i++) {
            BigInteger got = wrap(new BigInteger(lines.get(i), 16), 2048, true);
            assertEquals(cases.get(i).want(), got, cases.get(i).expr());
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
