#!/usr/bin/env bash
# Scores a model's test log p(x) (importance-weighted, K = 5000 by default) as a Slurm job array, one shard of the
# test images per task; when every task has finished, `vaegpu merge SHARD_DIR/eval-*.json` prints the result, the same
# bits as one unsharded `vaegpu eval`.
#
#   sbatch deploy/slurm-array.sh RUN/model.safetensors SHARD_DIR
#
# The array's size is the shard count (--shard auto reads SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and
# SLURM_ARRAY_TASK_COUNT). Environment: VAEGPU (the program, default vaegpu on PATH), IW (default 5000), EVAL_ARGS (more
# eval options, e.g. "--device cuda --binarize static").
#SBATCH --job-name=vaegpu-eval
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --output=vaegpu-eval-%A-%a.log
set -euo pipefail
model=${1:?usage: sbatch deploy/slurm-array.sh MODEL SHARD_DIR}
shards=${2:?usage: sbatch deploy/slurm-array.sh MODEL SHARD_DIR}
read -r -a vaegpu <<< "${VAEGPU:-vaegpu}"
read -r -a more <<< "${EVAL_ARGS:-}"
mkdir -p "$shards"
exec "${vaegpu[@]}" eval --model "$model" --iw "${IW:-5000}" --shard auto --out "$shards/eval-${SLURM_ARRAY_TASK_ID}.json" "${more[@]}"
