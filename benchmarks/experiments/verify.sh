#!/usr/bin/env bash
# ACCENT against ACCENT+ verify and resume (SPEC §11.3) and, with FULL=1, against ACCENT with the
# wider influence scope (`explain --scope full`, SPEC §11.3) on one seeded sample of users, all verified
# the same way: explain --verify R writes WORK_DIR/verify (its retrains fill WORK_DIR/verify/retrains),
# plain ACCENT goes to WORK_DIR/plain and is evaluated with the same protocol and cache (its sets are
# the verification's first rounds, so nothing is retrained again), then compare prints CF percentages,
# mean sizes, the McNemar test and the paired t-test. Every command's output goes to WORK_DIR/*.log.
#
#   benchmarks/experiments/verify.sh MODEL_DIR [WORK_DIR]
#
# Environment: JAR (default target/accent.jar), USERS (sample size, default 60), SEED (sample seed,
# default 1), K (default 5), R (retrains per set, default 1), ROUNDS (default 3), STEPS (retrain
# steps of NCF and MF models, default 1000; RCF models retrain with their own epochs: leave STEPS
# empty), THREADS (default 1), FULL (1: also the wider-scope variant in WORK_DIR/full, evaluated with
# the same protocol and cache, and compared with both), FULL_OPTS (more influence options for it).
set -euo pipefail
model=${1:?usage: verify.sh MODEL_DIR [WORK_DIR]}
work=${2:-work/verify}
jar=${JAR:-target/accent.jar}
users=${USERS:-60}
seed=${SEED:-1}
k=${K:-5}
r=${R:-1}
rounds=${ROUNDS:-3}
steps=${STEPS-1000}
threads=${THREADS:-1}
mkdir -p "$work"
length=()
if [ -n "$steps" ]; then length=(--steps "$steps"); fi
run() {
  local name=$1; shift
  printf '%s %s: %s\n' "$(date -u +%FT%TZ)" "$name" "$*"
  /usr/bin/time -f '%e s wall, %M KB peak' -o "$work/$name.time" "$@" > "$work/$name.log"
  cat "$work/$name.log" "$work/$name.time"
}
run verify java -jar "$jar" explain --model "$model" --sample "$users" --sample-seed "$seed" \
  --k "$k" --out "$work/verify" --threads "$threads" --verify "$r" --max-rounds "$rounds" "${length[@]}"
run plain java -jar "$jar" explain --model "$model" --sample "$users" --sample-seed "$seed" \
  --k "$k" --out "$work/plain" --threads "$threads"
run evaluate java -jar "$jar" evaluate --model "$model" --explanations "$work/plain" --retrains "$r" \
  "${length[@]}" --cache "$work/verify/retrains" --threads "$threads"
run compare java -jar "$jar" compare "$work/plain/accent_$k.csv" "$work/verify/accent_$k.csv"
if [ "${FULL:-0}" = 1 ]; then
  run full java -jar "$jar" explain --model "$model" --sample "$users" --sample-seed "$seed" \
    --k "$k" --out "$work/full" --threads "$threads" --scope full ${FULL_OPTS:-}
  run evaluate-full java -jar "$jar" evaluate --model "$model" --explanations "$work/full" \
    --retrains "$r" "${length[@]}" --cache "$work/verify/retrains" --threads "$threads"
  run compare-full java -jar "$jar" compare "$work/plain/accent_$k.csv" "$work/full/accent_$k.csv"
  run compare-full-verify java -jar "$jar" compare "$work/full/accent_$k.csv" "$work/verify/accent_$k.csv"
fi
