#!/usr/bin/env bash
# Runs every test of bitweave (unit, integration, co-simulation) on a fresh Debian machine with
# Java 17+ and Maven; installs the system tools the tests need.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/ensure-tools.sh
. "$root/scripts/ensure-tools.sh"
ensure_tools
cd "$root"
exec mvn -B verify "$@"
