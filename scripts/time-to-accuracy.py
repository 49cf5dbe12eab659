#!/usr/bin/env python3
"""Virtual time and device energy until a study's runs first reach a test accuracy, by point.

For each run directory of a study (pNNN-seedS), the first row of rounds.csv whose test_accuracy reaches TARGET
gives the virtual time at its end and the energy the devices spent up to it (the rows' energy_j summed); a run that
never reaches it counts as not reached. Synchronous rounds and buffered steps both end at a virtual time, so arms of
either kind compare on the clock (docs/buffered.md). Prints, per point, how many runs reached the target and the
mean of each over them with the half-width of its 95 % Student-t interval.

Usage: scripts/time-to-accuracy.py STUDY_DIR TARGET
Example: scripts/time-to-accuracy.py runs/buffered 0.45
Standard library only.
"""
import csv
import math
import os
import re
import statistics
import sys

T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def interval(values):
    if len(values) < 2:
        return float("nan")
    return T95.get(len(values) - 1, 1.96) * statistics.stdev(values) / math.sqrt(len(values))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    study, target = sys.argv[1], float(sys.argv[2])
    points = {}
    for name in sorted(os.listdir(study)):
        match = re.fullmatch(r"p(\d+)-seed(\d+)", name)
        rounds = os.path.join(study, name, "rounds.csv")
        if not match or not os.path.exists(rounds):
            continue
        energy = 0.0
        reached = None
        with open(rounds, newline="") as f:
            for row in csv.DictReader(f):
                energy += float(row["energy_j"])
                accuracy = float(row["test_accuracy"])
                if not math.isnan(accuracy) and accuracy >= target:
                    reached = (float(row["end_s"]), energy)
                    break
        points.setdefault(int(match.group(1)), []).append(reached)
    print(f"| point | runs | reached {target} | virtual time s | energy J |")
    print("|---:|---:|---:|---:|---:|")
    for point, runs in sorted(points.items()):
        hit = [r for r in runs if r is not None]
        times = [r[0] for r in hit]
        energies = [r[1] for r in hit]
        time = f"{statistics.mean(times):.0f} ± {interval(times):.0f}" if hit else "–"
        joules = f"{statistics.mean(energies):.0f} ± {interval(energies):.0f}" if hit else "–"
        print(f"| {point} | {len(runs)} | {len(hit)} | {time} | {joules} |")


if __name__ == "__main__":
    main()
