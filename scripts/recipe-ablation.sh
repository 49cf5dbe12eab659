#!/usr/bin/env bash
# The fine-tuning recipe at full depth (docs/REPRODUCTION.md §6, "The fine-tuning recipe"): single runs of
# scenarios/spam.yaml at a reduced size, all six MiniLM blocks, the planner's rates, each changing the
# recipe as named; prints each run's training loss per round, final accuracy and test loss.
# About 10 minutes on 2 cores (two runs at a time). Needs the corpus: ./fedlodrop data fetch spam-assassin
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-runs/recipe-ablation}"
mkdir -p "$OUT"
REDUCED=(--set model.layers=0 --set model.max_length=32 --set data.samples_per_device=64 --set data.test_samples=100
         --set training.learning_rate=0.002 --set training.max_grad_norm=0)
./fedlodrop --help >/dev/null   # builds once, before the runs start side by side
run() {
  local name=$1; shift
  rm -rf "${OUT:?}/$name"
  ./fedlodrop run scenarios/spam.yaml "${REDUCED[@]}" "$@" --out "$OUT/$name" -q --threads 1 >/dev/null
  echo "$name | $(cut -d, -f17 "$OUT/$name/rounds.csv" | tail -n +2 | xargs printf '%.3f ')| $(tail -1 "$OUT/$name/rounds.csv" | cut -d, -f19,18 | awk -F, '{printf "%s | %.3f", $2, $1}')"
}
pair() { run "$@" & }
pair base;                                  run lr5e-3 --set training.learning_rate=0.005; wait
pair base-seed2 --seed 2;                   run lr5e-3-seed2 --set training.learning_rate=0.005 --seed 2; wait
pair lr5e-3-clip1 --set training.learning_rate=0.005 --set training.max_grad_norm=1
run lr5e-3-warmup --set training.learning_rate=0.005 --set training.warmup_share=0.1; wait
pair lr5e-3-head1e-2 --set training.learning_rate=0.005 --set training.head_learning_rate=0.01
run lr1e-2 --set training.learning_rate=0.01; wait
pair warm-linear --set training.schedule=linear --set training.warmup_share=0.1
run warm-linear-clip --set training.schedule=linear --set training.warmup_share=0.1 --set training.max_grad_norm=1; wait
pair warm-linear-clip-wd --set training.schedule=linear --set training.warmup_share=0.1 --set training.max_grad_norm=1 --set training.weight_decay=0.01
run warm-linear-clip-lr5e-3 --set training.schedule=linear --set training.warmup_share=0.1 --set training.max_grad_norm=1 --set training.learning_rate=0.005; wait
pair cosine-clip-head1e-2 --set training.schedule=cosine --set training.warmup_share=0.1 --set training.max_grad_norm=1 --set training.head_learning_rate=0.01
run masked-recipe --set training.schedule=linear --set training.warmup_share=0.1 --set training.max_grad_norm=1 --set dropout.aggregation=masked-mean; wait
