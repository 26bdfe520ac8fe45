#!/usr/bin/env bash
# Spark local mode against the command line on MovieLens 100K (issue 19): explain every user of an
# NCF and an RCF model (ACCENT, FIA, pure FIA at k = 5, 10, 20), then evaluate a sample's sets with
# 5 retrains of STEPS steps. Each pair runs back to back; the result files are compared byte for byte.
# Usage (repository root, after `mvn -B install` and `mvn -B -f spark/pom.xml package`):
#   benchmarks/experiments/spark-local.sh NCF_MODEL RCF_MODEL WORK_DIR [MASTER] [STEPS] [SAMPLE]
set -euo pipefail
ncf=$1; rcf=$2; work=$3; master=${4:-local[2]}; steps=${5:-300}; sample=${6:-24}
cli=(java -jar target/accent.jar)
spark=(java -jar spark/target/accent-spark.jar)
mkdir -p "$work"
timed() { # label, command...
  local label=$1; shift
  local t0=$(date +%s.%N)
  "$@" > "$work/$label.out" 2> "$work/$label.err"
  local t1=$(date +%s.%N)
  printf '%-28s %8.1f s  (load %s)\n' "$label" "$(echo "$t1 - $t0" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
same() { # dir1 dir2
  if diff -rq -x '*.lock' -x retrains "$1" "$2" > /dev/null; then echo "  files identical: $1 $2"; else echo "  FILES DIFFER: $1 $2"; fi
}
explain=(explain --users all --algo accent,fia,pure-fia --k 5,10,20)
for fam in ncf rcf; do
  model=$ncf; [ "$fam" = rcf ] && model=$rcf
  rm -rf "$work/$fam-cli" "$work/$fam-spark"
  timed "$fam-explain-cli" "${cli[@]}" "${explain[@]}" --model "$model" --out "$work/$fam-cli"
  timed "$fam-explain-spark" "${spark[@]}" "${explain[@]}" --master "$master" --model "$model" --out "$work/$fam-spark"
  same "$work/$fam-cli" "$work/$fam-spark"
done
rm -rf "$work/ev-cli" "$work/ev-spark"
"${cli[@]}" explain --model "$ncf" --sample "$sample" --algo accent --k 5 --out "$work/ev-cli" > /dev/null
cp -r "$work/ev-cli" "$work/ev-spark"
evaluate=(evaluate --model "$ncf" --retrains 5 --steps "$steps")
timed "ncf-evaluate-cli" "${cli[@]}" "${evaluate[@]}" --explanations "$work/ev-cli"
timed "ncf-evaluate-spark" "${spark[@]}" "${evaluate[@]}" --master "$master" --explanations "$work/ev-spark"
head -1 "$work/ncf-evaluate-cli.out"; head -1 "$work/ncf-evaluate-spark.out"
same "$work/ev-cli" "$work/ev-spark"
diff -rq "$work/ev-cli/retrains" "$work/ev-spark/retrains" > /dev/null && echo "  caches identical"
