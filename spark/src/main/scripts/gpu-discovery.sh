#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs of this
# executor's machine as Spark's resource JSON, {"name":"gpu","addresses":["0","1",...]}. Spark then
# gives each task the ordinals of spark.task.resource.gpu.amount GPUs, and accent pins the task's
# TensorFlow sessions to them (gpu_options.visible_device_list). Needs nvidia-smi; none found: no GPU.
set -euo pipefail
addresses=""
if command -v nvidia-smi >/dev/null 2>&1; then
  addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null \
    | tr -d ' ' | grep -E '^[0-9]+$' | sed 's/.*/"&"/' | paste -sd, - || true)
fi
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
