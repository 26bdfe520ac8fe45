#!/usr/bin/env bash
# NCF Table 1 on MovieLens 100K, end to end and resumable: every step is skipped when its output
# exists, and `accent evaluate` keeps each finished retrain under <explanations>/retrains.
#
#   benchmarks/experiments/ncf-table1.sh [WORK_DIR]
#
# Environment: SHARED (MovieLens + RCF files, default ../shared/data), SAMPLE (users evaluated,
# default 60), STEPS (retrain steps of the fast protocol, default 10000), STUDY_USERS (users of the
# reduced-steps study, default 8), BATCH (retrains per graph, default 16), JAR (default target/accent.jar),
# STAGE (all, study or table1: run the two evaluations as separate processes, in parallel).
set -euo pipefail
work=${1:-work/ncf-ml100k}
shared=${SHARED:-../shared/data}
sample=${SAMPLE:-60}
steps=${STEPS:-10000}
study=${STUDY_USERS:-8}
batch=${BATCH:-16}
accent="java -jar ${JAR:-target/accent.jar}"
mkdir -p "$work"
log() { printf '%s %s\n' "$(date -u +%FT%TZ)" "$*"; }

[ -f "$work/prepared/dataset.json" ] || { log prepare; $accent data prepare --movielens "$shared/ml-100k" --rcf "$shared/rcf" --out "$work/prepared"; }
[ -f "$work/model/model.json" ] || { log train; $accent train ncf --data "$work/prepared" --out "$work/model"; }
if [ ! -f "$work/explanations/.done" ]; then
  log explain
  $accent explain --model "$work/model" --users all --algo pure-fia,fia,accent --k 5,10,20 --out "$work/explanations"
  touch "$work/explanations/.done"
fi

# Reduced-steps study: ACCENT k=5 sets of a seeded user sample, retrained for the full 120,000 steps,
# with the success decision also taken after 5k, 10k, 20k and 40k steps.
stage=${STAGE:-all}   # all | study | table1
if [ "$stage" != table1 ]; then
  mkdir -p "$work/study"
  [ -f "$work/study/accent_5.csv" ] || cp "$work/explanations/accent_5.csv" "$work/study/accent_5.csv"
  [ -f "$work/study/explanations.json" ] || cp "$work/explanations/explanations.json" "$work/study/"
  log "study: $study users, 120000 steps"
  $accent evaluate --model "$work/model" --explanations "$work/study/accent_5.csv" --sample "$study" \
    --sample-seed 1 --steps 120000 --checkpoints 5000,10000,20000,40000 --batch "$batch" --threads 1
fi

# Table 1 with the fast protocol on a seeded user sample (report: table1/evaluation-sample-N-seed-0.json).
if [ "$stage" = study ]; then log done; exit 0; fi
mkdir -p "$work/table1"
for f in "$work"/explanations/*_*.csv "$work"/explanations/explanations.json; do
  [ -f "$work/table1/$(basename "$f")" ] || cp "$f" "$work/table1/"
done
log "table 1: $sample users, $steps steps"
$accent evaluate --model "$work/model" --explanations "$work/table1" --sample "$sample" --sample-seed 0 \
  --steps "$steps" --checkpoints 5000 --batch "$batch" --threads 1
for k in 5 10 20; do
  $accent compare "$work/table1/accent_$k.csv" "$work/table1/fia_$k.csv"
done
log done
