#!/usr/bin/env python3
"""Paired difference of a study metric between two points, over the seeds both ran.

Points are numbered as in the study's results.csv (its `point` column, from 0; `fedlodrop table DIR`
lists them in that order). The seeds of a study give both points the same placement, data and test set, so
the per-seed differences are paired; the interval is Student's t over them (95 %). Beside it the script counts
the seeds in which POINT_A is ahead, level and behind, and gives the exact two-sided p of a sign-flip
(permutation) test of the mean difference: with few seeds and differences that come in steps (one test sample
is 1/300 of accuracy on the mail corpus), a t-interval that just excludes zero can still describe a lead that
chance alone gives more often than one time in twenty; the permutation test assumes no normality.

POINT_B may name a point of another study as OTHER_DIR:POINT, for two studies of the same base scenario whose
seeds draw the same data (e.g. a longer run against a reference arm that does not depend on the rounds); the
script then checks that the two runs of each seed read the same data files (the digests both manifests list; it
cannot see the scenarios' data fields, which the two studies must share).

Usage: scripts/paired-difference.py STUDY_DIR METRIC POINT_A POINT_B
Example: scripts/paired-difference.py runs/paper/finetune best_test_accuracy 2 6
         scripts/paired-difference.py runs/spam-512-ten-rounds final_test_accuracy 0 runs/spam-arms:2
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
    study, metric = argv[1], argv[2]
    try:
        a = int(argv[3])
        other, _, b_text = argv[4].rpartition(":")
        b = int(b_text)
    except ValueError:
        print(f"POINT_A and POINT_B: expected point numbers (POINT_B may be OTHER_DIR:POINT), got {argv[3]!r} and "
              f"{argv[4]!r}", file=sys.stderr)
        return 2
    other = other or study
    rows = read_points(study)
    values = read_journal(study, metric)
    other_rows = rows if other == study else read_points(other)
    other_values = values if other == study else read_journal(other, metric)
    if rows is None or values is None or other_rows is None or other_values is None:
        return 2
    seeds = sorted({s for (p, s) in values if p == a} & {s for (p, s) in other_values if p == b})
    if len(seeds) < 2:
        print(f"points {a} and {argv[4]} share fewer than 2 seeds", file=sys.stderr)
        return 2
    if other != study:
        for s in seeds:
            mine, theirs = data_files(study, a, s), data_files(other, b, s)
            if mine is None or theirs is None:
                missing = f"{study}/p{a:03d}-seed{s}" if mine is None else f"{other}/p{b:03d}-seed{s}"
                print(f"{missing}/manifest.json: not found, so seed {s}'s data cannot be checked", file=sys.stderr)
                return 2
            if any(mine[k] != theirs[k] for k in mine.keys() & theirs.keys()):
                print(f"seed {s}: the runs read different data ({study} point {a}: {mine}; {other} point {b}: "
                      f"{theirs}), so they are not paired", file=sys.stderr)
                return 2
    diffs = [values[(a, s)] - other_values[(b, s)] for s in seeds]
    n = len(diffs)
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
    ci = T95[min(n - 1, len(T95)) - 1] * sd / math.sqrt(n)
    print(f"{metric}: [{describe(study, rows, a)}] - [{describe(other, other_rows, b)}] = {mean:+.4f} ± {ci:.4f} "
          f"(95 %, {n} seeds; per seed {', '.join(f'{d:+.4f}' for d in diffs)})")
    ahead, behind = sum(d > 0 for d in diffs), sum(d < 0 for d in diffs)
    p = sign_flip_p(diffs)
    p_text = f"{p:.4f}" if p is not None else f"not computed (more than {MAX_EXACT} seeds differ)"
    print(f"  point {a} ahead in {ahead} seeds, level in {n - ahead - behind}, behind in {behind}; "
          f"sign-flip permutation test, two-sided p = {p_text}")
    return 0


MAX_EXACT = 20


def sign_flip_p(diffs):
    """Exact two-sided p of the sign-flip test: the share of the 2^m sign patterns of the m nonzero differences
    whose sum is at least as far from zero as the observed one (None past MAX_EXACT nonzero differences)."""
    nonzero = [d for d in diffs if d != 0]
    m = len(nonzero)
    if m > MAX_EXACT:
        return None
    if m == 0:
        return 1.0
    observed = abs(sum(nonzero))
    # Sums over every sign pattern, built one difference at a time; the tolerance absorbs float summation order.
    sums = [0.0]
    for d in nonzero:
        sums = [x + d for x in sums] + [x - d for x in sums]
    tolerance = 1e-9 * max(abs(d) for d in nonzero)
    return sum(abs(x) >= observed - tolerance for x in sums) / len(sums)


def read_points(study):
    try:
        with open(f"{study}/results.csv", newline="") as f:
            return {int(row["point"]): row for row in csv.DictReader(f)}
    except OSError as e:
        print(f"{study}/results.csv: {e.strerror}", file=sys.stderr)
        return None


def read_journal(study, metric):
    values = {}
    try:
        with open(f"{study}/journal.jsonl") as f:
            for line in f:
                entry = json.loads(line)
                if metric not in entry["metrics"]:
                    print(f"{study}/journal.jsonl: no metric {metric!r}; it has {sorted(entry['metrics'])}",
                          file=sys.stderr)
                    return None
                values[(entry["point"], entry["seed"])] = entry["metrics"][metric]
    except OSError as e:
        print(f"{study}/journal.jsonl: {e.strerror}", file=sys.stderr)
        return None
    return values


def data_files(study, point, seed):
    """The data files a run read with their digests (its manifest's input_sha256, scenario files left out)."""
    try:
        with open(f"{study}/p{point:03d}-seed{seed}/manifest.json") as f:
            inputs = json.load(f).get("input_sha256", {})
    except OSError:
        return None
    return {k: v for k, v in inputs.items() if not k.endswith((".yaml", ".yml"))}


def describe(study, rows, point):
    axes = [k for k in next(iter(rows.values())) if not k.endswith(("_mean", "_ci95", "_sd")) and k != "runs"
            and "." in k]
    label = ", ".join(f"{k}={rows[point][k]}" for k in axes)
    return f"{study.rstrip('/').split('/')[-1]} {label}".strip() if label else study.rstrip('/').split('/')[-1]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
