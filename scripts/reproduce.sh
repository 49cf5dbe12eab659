#!/usr/bin/env bash
# Regenerates the tables and plots of docs/REPRODUCTION.md: runs each finding's command as written
# there, then copies what the tool produced (results.csv, curves.csv, plots/*.svg, the markdown table
# from `fedlodrop table`) to docs/reproduction/NAME/. Usage: scripts/reproduce.sh [NAME...]
# (default: every finding; NAME as in scenarios/paper/NAME.yaml, or f3-planner). The studies on the
# pretrained model (finetune, f1-spam, f1-sotu, f4-spam) need both corpora, fetched here if absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ALL=(f1-synthetic f1-text f2-convergence f3-planner f4-latency f4-energy f4-bandwidth f5-channels
     finetune finetune-sotu f1-spam f1-sotu f4-spam f4-heterogeneous)
NAMES=("${@:-${ALL[@]}}")
for corpus in spam-assassin sotu-party; do
  base="${FEDLODROP_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/fedlodrop}"
  [[ -f $base/$corpus/train.tsv ]] || ./fedlodrop data fetch "$corpus"
done
for name in "${NAMES[@]}"; do
  docs="docs/reproduction/$name"
  rm -rf "$docs" && mkdir -p "$docs"
  if [[ $name == f3-planner ]]; then
    ./fedlodrop bench planner --sizes 5,10,20,50,100 --plot "$docs/solve-time.svg" | tee "$docs/table.md"
    continue
  fi
  [[ -f scenarios/paper/$name.yaml ]] || { echo "reproduce: no scenarios/paper/$name.yaml" >&2; exit 2; }
  out="runs/paper/$name"
  rm -rf "$out"
  ./fedlodrop study "scenarios/paper/$name.yaml" --out "$out" -q
  cp "$out/results.csv" "$out"/plots/*.svg "$docs/"
  ./fedlodrop table "$out" > "$docs/table.md"
  if [[ -f $out/curves.csv ]]; then
    cp "$out/curves.csv" "$docs/"
    ./fedlodrop table "$out" --curves --rounds 0,3,7,9,14,19 > "$docs/curves.md"
  fi
  echo "reproduce: $name -> $docs"
done
