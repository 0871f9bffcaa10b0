# Shared by tools/run.sh and tools/test.sh: install missing Debian packages, configure and build a
# preset. Sourced, not run.
set -euo pipefail
GOSSIPSIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

gs_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Install the packages of tools/deps.txt that dpkg does not report installed (apt-get, sudo when
# not root). Does nothing when every package is present.
gs_install_deps() {
  local missing=() pkg
  while read -r pkg; do
    pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
    [ -n "$pkg" ] || continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done < "$GOSSIPSIM_ROOT/tools/deps.txt"
  [ ${#missing[@]} -eq 0 ] && return 0
  gs_log "installing missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { gs_log "error: not root and no sudo; install: ${missing[*]}"; return 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configure one preset when it has no build folder yet or CMakePresets.json changed since (the
# build itself reruns CMake when a CMakeLists.txt changed), then build it, or only the targets
# named after it; prints nothing but errors and the build summary.
gs_build() {
  local preset=$1
  shift
  cd "$GOSSIPSIM_ROOT"
  [ "build/$preset/CMakeCache.txt" -nt CMakePresets.json ] || cmake --preset "$preset" >/dev/null
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
}
