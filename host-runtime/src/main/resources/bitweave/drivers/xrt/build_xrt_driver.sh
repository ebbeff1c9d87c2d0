#!/bin/sh
# Builds libbwxrt.so, the bitweave board driver for Alveo cards, against the XRT installed on
# this machine (real headers, libxrt_coreutil). Run it in the directory that holds
# xrt_board.cpp, bw_driver_common.h, bw_driver_abi.h and bitweave_board.h:
#   ./build_xrt_driver.sh            # XRT from $XILINX_XRT, else /opt/xilinx/xrt
# The Java runtime (Drivers.xrtLibrary) runs the same compile and caches the result itself;
# this script is for building the shim by hand. docs/board-abi.md, "The xrt driver".
set -eu
XRT="${XILINX_XRT:-/opt/xilinx/xrt}"
if [ ! -f "$XRT/include/xrt/xrt_kernel.h" ] || [ ! -e "$XRT/lib/libxrt_coreutil.so" ]; then
    echo "XRT not found at $XRT (include/xrt/xrt_kernel.h, lib/libxrt_coreutil.so):" >&2
    echo "install XRT for your Alveo card and run 'source /opt/xilinx/xrt/setup.sh'" >&2
    exit 2
fi
CXX="${CXX:-g++}"
exec "$CXX" -std=c++17 -O2 -fPIC -shared -fvisibility=hidden -fvisibility-inlines-hidden \
    -Wall -Wextra -Werror -Wl,--no-undefined -I. -DBW_XRT_REAL_HEADERS -I"$XRT/include" \
    xrt_board.cpp -o libbwxrt.so -L"$XRT/lib" -Wl,-rpath,"$XRT/lib" -lxrt_coreutil -pthread
