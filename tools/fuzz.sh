#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang -fsanitize=fuzzer,address,undefined) into
# build/fuzz and runs every target SECONDS seconds at the same time, one process each, seeded
# with the files under data/. Corpora grow in build/fuzz/corpus/<target> (not committed); logs
# go to build/fuzz/logs/<target>.log, crashing inputs to build/fuzz/artifacts/. Prints the
# executions, coverage and findings of each target; exits 1 when any target found a crash.
#   usage: tools/fuzz.sh SECONDS [TARGET...]
source "$(dirname "$0")/common.sh"
seconds=${1:?usage: tools/fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_edge_list fuzz_mtx fuzz_metis fuzz_ligra fuzz_gcsr fuzz_gzip)

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  gs_log "installing clang and its runtime libraries (libFuzzer)"
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-dev ||
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang
fi
gs_install_deps
cd "$GOSSIPSIM_ROOT"
out=build/fuzz
cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  -DGOSSIPSIM_BUILD_TESTS=OFF -DGOSSIPSIM_BUILD_BENCH=OFF -DGOSSIPSIM_BUILD_FUZZ=ON >/dev/null
cmake --build "$out" -j "$(nproc)" --target "${targets[@]}"

mkdir -p "$out/logs" "$out/artifacts"
for t in "${targets[@]}"; do
  corpus="$out/corpus/$t"
  mkdir -p "$corpus"
  case $t in
    fuzz_edge_list) seeds=(data/graphs/*.txt data/graphs/*.el data/graphs/*.csv data/graphs/*.tsv data/bad/*.txt data/bad/*.csv) ;;
    fuzz_mtx) seeds=(data/graphs/*.mtx data/bad/*.mtx) ;;
    fuzz_metis) seeds=(data/graphs/*.graph data/bad/*.graph) ;;
    fuzz_ligra) seeds=(data/graphs/*.adj data/bad/*.adj) ;;
    fuzz_gcsr) seeds=(data/graphs/*.gcsr data/bad/*.gcsr) ;;
    fuzz_gzip) seeds=(data/graphs/*.gz data/bad/*.gz) ;;
  esac
  # The text targets read their options from the first byte: seed with a zero byte first.
  for s in "${seeds[@]}"; do
    if [ "$t" != fuzz_gcsr ] && [ "$t" != fuzz_gzip ]; then
      { printf '\0'; cat "$s"; } > "$corpus/seed_$(basename "$s")"
    else
      cp "$s" "$corpus/seed_$(basename "$s")"
    fi
  done
done

gs_log "running ${targets[*]} for $seconds s each, in parallel"
pids=()
for t in "${targets[@]}"; do
  OMP_NUM_THREADS=1 "$out/fuzz/$t" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t-" "$out/corpus/$t" > "$out/logs/$t.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
  wait "${pids[$i]}" || status=1
done
for t in "${targets[@]}"; do
  log="$out/logs/$t.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o 'cov: [0-9]* ft: [0-9]*' || echo 'cov: ?')
  crashes=$(ls "$out/artifacts" | grep -c "^$t-" || true)
  echo "$t: $runs executions, $cov, corpus $(ls "$out/corpus/$t" | wc -l) files, $crashes crashing inputs"
done
exit $status
