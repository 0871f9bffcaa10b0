#!/usr/bin/env bash
# The quick-start example tools/run.sh runs with no arguments: inspect a generated graph.
# usage: quickstart.sh PATH/TO/gossipsim
set -euo pipefail
bin=$1
echo "# gossipsim graph info grid:rows=100,cols=100,torus=1" >&2
"$bin" graph info grid:rows=100,cols=100,torus=1
