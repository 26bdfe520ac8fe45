#!/usr/bin/env bash
# NCF Table 1 at the paper's protocol (all users, 5 warm-start retrains of 120,000 steps per distinct
# set, docs/SPEC.md §7.1), worked through in bounded time slices on whatever machine is lent:
#   benchmarks/gpu/table1.sh SLICE_SECONDS [SHARD]      e.g. 480, or 480 2/4
# Input (carried): .gpu-model (the MovieLens model; MODEL_DIR overrides) and .gpu-table1/ (the explain result files
# {algo}_{k}.csv, and retrains/ = the cache of earlier slices). Finished retrains go to the cache one
# file each; at the end of the slice the cache is copied to $OUT/table1-cache/, to be merged back into
# .gpu-table1/retrains on the build machine (`cp -rn OUT/table1-cache/. .gpu-table1/retrains/`) and
# carried to the next slice, on any machine. A batch interrupted by the slice's end is redone, so
# choose BATCH so that one batch (BATCH x 120,000 copy-steps) fits a slice. The last slice (nothing
# pending) writes the result files with actual_scores_*; copied to $OUT/table1-results/.
# RCF Table 1 (FAMILY=rcf): 5 retrains from scratch of the model's 50 epochs per distinct set (§7.2),
# B of them stacked per graph (BATCH default 64 for rcf); the model is .gpu-rcf-model and the files and
# cache are under .gpu-table1-rcf (MODEL_DIR and TABLE_DIR override); --steps does not apply to RCF;
# shards work as for NCF.
set -uo pipefail
slice=${1:?slice seconds}; shard=${2:-}
family=${FAMILY:-ncf}
case "$family" in
  ncf) batch=${BATCH:-1024}; steps=${STEPS:-120000}; model=${MODEL_DIR:-.gpu-model}; dir=${TABLE_DIR:-.gpu-table1} ;;
  rcf) batch=${BATCH:-64}; model=${MODEL_DIR:-.gpu-rcf-model}; dir=${TABLE_DIR:-.gpu-table1-rcf} ;;
  *) echo "error: FAMILY must be ncf or rcf, got $family" >&2; exit 2 ;;
esac
if [ -f /tmp/gpu/setup.sh ]; then
  bash /tmp/gpu/setup.sh >/dev/null && source /tmp/gpu/env.sh
  run="$JAVA -cp target/classes:target/gpu-lib/*:$GPU_CLASSPATH_DIR io.accent.cli.Main"
else
  run="java -jar target/accent.jar"   # no GPU bundle: the CPU build (mvn package)
fi
args=(evaluate --model "$model" --explanations "$dir" --retrains 5 --batch "$batch"
      --threads "$(nproc)" --cache "$dir/retrains")
[ "$family" = ncf ] && args+=(--steps "$steps")
[ -n "$shard" ] && args+=(--shard "$shard")
start=$SECONDS
timeout --signal=TERM "$slice" $run "${args[@]}"
rc=$?
echo "slice: exit $rc after $((SECONDS - start)) s; $(find "$dir/retrains" -name 'seed-*.json' | wc -l) retrains cached"
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT/table1-cache" && cp -r "$dir/retrains/." "$OUT/table1-cache/"
  if [ $rc = 0 ] && [ -z "$shard" ]; then
    mkdir -p "$OUT/table1-results" && cp "$dir"/*_*.csv "$dir/evaluation.json" "$OUT/table1-results/" 2>/dev/null
  fi
fi
exit $rc
