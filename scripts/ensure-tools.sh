# Sourced by ./test.sh and ./bitweave: installs the Debian packages bitweave needs when missing.
# Uses sudo when not root. The package list grows with the hardware backends.
# Each entry is "command:debian-package"; the command is looked up on PATH.
BITWEAVE_PACKAGES=(
  "verilator:verilator"  # lint (verilator --lint-only -Wall) and the simulated board
  "yosys:yosys"          # resource figures (synth_xilinx, synth_ice40)
)

ensure_tools() {
  local missing=()
  command -v java >/dev/null 2>&1 || { echo "bitweave: java not found; install Java 17+ (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
  command -v mvn >/dev/null 2>&1 || { echo "bitweave: mvn not found; install Maven (apt-get install maven)" >&2; exit 1; }
  local spec bin pkg
  for spec in "${BITWEAVE_PACKAGES[@]}"; do
    bin="${spec%%:*}"; pkg="${spec#*:}"
    command -v "$bin" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "bitweave: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
