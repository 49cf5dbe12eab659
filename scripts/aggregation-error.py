#!/usr/bin/env python3
"""Summarise a learning run's aggregation.csv: per round, the mean over adapted layers of the
relative error ||R - T|| / ||T|| and of the amplification ||R|| / ||T||, and per block (layers named
blocks.B.*) in a chosen round (docs/model.md, "Aggregation error").

Usage: scripts/aggregation-error.py RUN_DIR [--round N]
"""
import csv
import re
import sys
from collections import defaultdict


def mean(rows, column):
    return sum(float(row[column]) for row in rows) / len(rows)


def table(key, groups, with_count):
    """One markdown row per group: its key, (its layers,) mean relative error and mean amplification."""
    print(f"| {key} |" + (" layers |" if with_count else "") + " mean relative error | mean amplification |")
    print("|---:|" + ("---:|" if with_count else "") + "---:|---:|")
    for value, rows in groups.items():
        count = f" {len(rows)} |" if with_count else ""
        print(f"| {value} |{count} {mean(rows, 'relative_error'):.3g} | {mean(rows, 'amplification'):.3g} |")


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    run = argv[0]
    chosen = int(argv[argv.index("--round") + 1]) if "--round" in argv else 0
    try:
        with open(f"{run}/aggregation.csv", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        print(f"{run}/aggregation.csv: not found (only learning runs write it)", file=sys.stderr)
        return 2
    by_round = defaultdict(list)
    for row in rows:
        by_round[int(row["round"])].append(row)
    table("round", {r: by_round[r] for r in sorted(by_round)}, with_count=True)
    blocks = defaultdict(list)
    for row in by_round.get(chosen, []):
        match = re.match(r"blocks\.(\d+)\.", row["layer"])
        if match:
            blocks[int(match.group(1))].append(row)
    if blocks:
        print(f"\nRound {chosen}, per block:\n")
        table("block", {b: blocks[b] for b in sorted(blocks)}, with_count=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
