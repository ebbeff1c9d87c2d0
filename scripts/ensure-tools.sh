# Sourced by ./test.sh and ./bitweave: installs the Debian packages bitweave needs when missing.
# Uses sudo when not root. The package list grows with the hardware backends.
# Each entry is "command:package", or "/absolute/file:package" for packages without a command.
# verilator: lint and the simulated board (which also needs make, g++ and zlib's header for FST
# tracing); yosys: resource figures (synth_xilinx, synth_ice40); tcl: tclsh parses the generated
# Vitis/Vivado scripts in the tests (with stub vendor commands).
BITWEAVE_PACKAGES=(
  "verilator:verilator"
  "yosys:yosys"
  "make:make"
  "g++:g++"
  "/usr/include/zlib.h:zlib1g-dev"
  "tclsh:tcl"
)

ensure_tools() {
  local missing=()
  command -v java >/dev/null 2>&1 || { echo "bitweave: java not found; install Java 17+ (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
  command -v mvn >/dev/null 2>&1 || { echo "bitweave: mvn not found; install Maven (apt-get install maven)" >&2; exit 1; }
  local spec bin pkg
  for spec in "${BITWEAVE_PACKAGES[@]}"; do
    bin="${spec%%:*}"; pkg="${spec#*:}"
    if [[ "$bin" == /* ]]; then
      [ -e "$bin" ] || missing+=("$pkg")
    else
      command -v "$bin" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bitweave: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
