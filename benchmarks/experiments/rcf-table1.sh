#!/usr/bin/env bash
# RCF Table 1 on MovieLens 100K (docs/SPEC.md §7.2), end to end and resumable: every step is skipped
# when its output exists, and `accent evaluate` keeps each finished retrain under the cache.
#
#   benchmarks/experiments/rcf-table1.sh [WORK_DIR]
#
# The users are the seeded sample of the NCF table (`--sample N --sample-seed 0`), taken as a
# growing prefix: user n is evaluated after users 1..n-1 are complete, so a run cut at any point
# leaves complete users, and a later run (any machine, the cache copied along) extends it.
# Environment: SHARED (MovieLens + RCF files, default ../shared/data), SAMPLE (users, default 60;
# 452 is the paper's protocol), FROM (first prefix length to evaluate, default 1), BATCH (retrains
# per graph, default 1: stacking gains nothing on CPU; use 64 or more on a GPU), JAR (default target/accent.jar).
set -euo pipefail
work=${1:-work/rcf-ml100k}
shared=${SHARED:-../shared/data}
sample=${SAMPLE:-60}
from=${FROM:-1}
batch=${BATCH:-1}
accent="java -jar ${JAR:-target/accent.jar}"
mkdir -p "$work"
log() { printf '%s %s\n' "$(date -u +%FT%TZ)" "$*"; }

[ -f "$work/prepared/dataset.json" ] || { log prepare; $accent data prepare --movielens "$shared/ml-100k" --rcf "$shared/rcf" --out "$work/prepared"; }
[ -f "$work/model/model.json" ] || { log train; $accent train rcf --data "$work/prepared" --out "$work/model"; }
if [ ! -f "$work/explanations/.done" ]; then
  log explain
  $accent explain --model "$work/model" --users all --algo pure-att,attention,pure-fia,fia,accent --k 5,10,20 --out "$work/explanations"
  touch "$work/explanations/.done"
fi
for n in $(seq "$from" "$sample"); do
  log "table 1: users 1..$n of the sample"
  $accent evaluate --model "$work/model" --explanations "$work/explanations" --sample "$n" --sample-seed 0 \
    --cache "$work/retrains" --batch "$batch"
done
for k in 5 10 20; do
  $accent compare --sample "$sample" "$work/explanations/accent_$k.csv" "$work/explanations/fia_$k.csv"
  $accent compare --sample "$sample" "$work/explanations/accent_$k.csv" "$work/explanations/attention_$k.csv"
done
log done
