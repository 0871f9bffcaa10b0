#!/usr/bin/env bash
# The quick-start example tools/run.sh runs with no arguments: inspect a generated graph, then
# simulate 10 trials of push gossip on it (data/examples/push_er.toml); JSON on stdout.
# usage: quickstart.sh PATH/TO/gossipsim
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
echo "# gossipsim graph info er:n=1e5,d=8" >&2
"$bin" graph info er:n=1e5,d=8
echo "# gossipsim run $here/push_er.toml" >&2
"$bin" run "$here/push_er.toml"
