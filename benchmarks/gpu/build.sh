#!/usr/bin/env bash
# On the build machine (this one), from the project root: everything the GPU runs need besides the
# GPU bundle of ../shared/tools/gpu (see benchmarks/gpu/README.md).
#   target/classes, target/gpu-lib (dependencies without the CPU natives), benchmarks/target/classes,
#   and with MODEL=1 a MovieLens model in .gpu-model (prepare + train, about 2 minutes on 2 cores).
set -euo pipefail
mvn -q -B -DskipTests install
mvn -q -B -f benchmarks/pom.xml package
rm -rf target/gpu-lib
mvn -q -B -Pgpu dependency:copy-dependencies -DoutputDirectory=target/gpu-lib \
  -DexcludeClassifiers=linux-x86_64,linux-x86_64-gpu -DincludeScope=runtime
rm -f target/gpu-lib/tensorflow-core-native-*-linux-x86_64*.jar
for d in .gpu-model .gpu-table1; do
  grep -qx "/$d/" .git/info/exclude 2>/dev/null || echo "/$d/" >> "$(git rev-parse --git-path info/exclude)"
done
if [ "${MODEL:-0}" = 1 ] && [ ! -f .gpu-model/model.json ]; then
  shared=${SHARED:-../shared/data}
  work=$(mktemp -d)
  java -jar target/accent.jar data prepare --movielens "$shared/ml-100k" --rcf "$shared/rcf" --out "$work/prepared"
  java -jar target/accent.jar train ncf --data "$work/prepared" --out .gpu-model
  rm -rf "$work"
fi
du -sh target/classes target/gpu-lib benchmarks/target/classes .gpu-model 2>/dev/null || true
