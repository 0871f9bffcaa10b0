#!/usr/bin/env bash
# Install what is missing, build the release preset, run gossipsim.
# No arguments: the quick-start example (data/examples/quickstart.sh); otherwise: gossipsim ARGS...
source "$(dirname "$0")/common.sh"
gs_install_deps
gs_build release gossipsim >&2
bin="$GOSSIPSIM_ROOT/build/release/tools/gossipsim"
if [ $# -eq 0 ]; then
  exec "$GOSSIPSIM_ROOT/data/examples/quickstart.sh" "$bin"
fi
exec "$bin" "$@"
