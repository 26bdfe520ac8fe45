#!/usr/bin/env bash
# One command on the GPU machine (after /tmp/gpu was staged, see README.md): per copy-step of batched
# retraining for B in {256, 1024, 4096} on the GPU, with XLA at B = 1024, an op profile at B = 1024,
# and the same machine's CPU figure (GPU hidden, all cores) at B = 64. About 3 minutes. The profile's
# 'epoch change' lines show where the device-made epoch orders ran (all ops should be on GPU:0).
#   benchmarks/gpu/run.sh [MODEL_DIR]      (default .gpu-model if present, else saved-models/ncf-synthetic)
# Output also goes to $OUT/gpu-run.log when $OUT is set.
set -uo pipefail
model=${1:-}
[ -z "$model" ] && { [ -f .gpu-model/model.json ] && model=.gpu-model || model=saved-models/ncf-synthetic; }
log=${OUT:-/tmp}/gpu-run.log
exec > >(tee "$log") 2>&1
bash /tmp/gpu/setup.sh >/dev/null && source /tmp/gpu/env.sh
cp="target/classes:target/gpu-lib/*:benchmarks/target/classes:$GPU_CLASSPATH_DIR"
main=io.accent.benchmarks.RetrainThroughput
quiet() { grep -v -E '^(I0000|W0000|E0000)|tensorflow/|cpu_feature_guard|To enable the following|absl::InitializeLog|Unable to register|TF-TRT|computation placer|profiler_session'; }
echo "model: $model; $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader); $(nproc) cores"
t=$SECONDS
timeout 150 $JAVA -Daccent.model="$model" -cp "$cp" $main --copies 256,1024,4096 --steps 49 --threads "$(nproc)" \
  --label gpu 2>&1 | quiet
timeout 60 $JAVA -Daccent.model="$model" -cp "$cp" $main --copies 1024 --steps 49 --threads "$(nproc)" --xla \
  --profile --label gpu+xla 2>&1 | quiet
CUDA_VISIBLE_DEVICES= timeout 60 $JAVA -Daccent.model="$model" -cp "$cp" $main --copies 64 --steps 49 \
  --threads "$(nproc)" --label "cpu($(nproc) cores)" 2>&1 | quiet
echo "runner wall: $((SECONDS - t)) s"
