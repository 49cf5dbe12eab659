#!/usr/bin/env python3
"""Paired difference of a study metric between two points, over the seeds both ran.

Points are numbered as in the study's results.csv (its `point` column, from 0; `fedlodrop table DIR`
lists them in that order). The seeds of a study give both points the same placement, data and test set, so
the per-seed differences are paired; the interval is Student's t over them (95 %).

Usage: scripts/paired-difference.py STUDY_DIR METRIC POINT_A POINT_B
Example: scripts/paired-difference.py runs/paper/finetune best_test_accuracy 2 6
Standard library only.
"""
import csv
import json
import math
import sys

# Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom.
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
       2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
       2.045, 2.042]


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    study, metric, a, b = argv[1], argv[2], int(argv[3]), int(argv[4])
    with open(f"{study}/results.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    values = {}
    with open(f"{study}/journal.jsonl") as f:
        for line in f:
            entry = json.loads(line)
            if metric not in entry["metrics"]:
                print(f"{study}/journal.jsonl: no metric {metric!r}; it has {sorted(entry['metrics'])}", file=sys.stderr)
                return 2
            values[(entry["point"], entry["seed"])] = entry["metrics"][metric]
    seeds = sorted({s for (p, s) in values if p == a} & {s for (p, s) in values if p == b})
    if len(seeds) < 2:
        print(f"points {a} and {b} share fewer than 2 seeds", file=sys.stderr)
        return 2
    diffs = [values[(a, s)] - values[(b, s)] for s in seeds]
    n = len(diffs)
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
    ci = T95[min(n - 1, len(T95)) - 1] * sd / math.sqrt(n)
    axes = [k for k in rows[0] if not k.endswith(("_mean", "_ci95", "_sd")) and k != "runs" and "." in k]
    by_point = {int(row["point"]): row for row in rows}
    describe = lambda p: ", ".join(f"{k}={by_point[p][k]}" for k in axes)
    print(f"{metric}: [{describe(a)}] - [{describe(b)}] = {mean:+.4f} ± {ci:.4f} "
          f"(95 %, {n} seeds; per seed {', '.join(f'{d:+.4f}' for d in diffs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
