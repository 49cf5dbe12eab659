#!/usr/bin/env bash
# Regenerates scenarios/data/reviews/: synthetic review sentences in GLUE SST-2 layout and the small
# transformer base pretrained on the restaurant domain that scenarios/text.yaml fine-tunes on movies.
# Same seeds, same bytes: the files are committed, and this script is how they were made.
set -euo pipefail
cd "$(dirname "$0")/.."
out=scenarios/data/reviews
mkdir -p "$out"
rm -f "$out"/restaurants.tsv "$out"/movies-train.tsv "$out"/movies-test.tsv "$out"/base.safetensors
./fedlodrop make-text --domain restaurants --samples 1500 --seed 11 --out "$out/restaurants.tsv"
./fedlodrop make-text --domain movies --samples 600 --seed 12 --label-noise 0.1 --out "$out/movies-train.tsv"
./fedlodrop make-text --domain movies --samples 500 --seed 13 --out "$out/movies-test.tsv"
./fedlodrop pretrain --train "$out/restaurants.tsv" --vocabulary-from "$out/movies-train.tsv" \
  --out "$out/base.safetensors"
