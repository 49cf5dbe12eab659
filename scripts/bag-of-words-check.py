#!/usr/bin/python3
"""Fits scikit-learn to the texts a bag-of-words arm fitted (RUN_DIR/bag-of-words.json) and prints both accuracies.

An independent check of the arm: the same union of the devices' training texts and the same test texts,
features and classifier from another library. scikit-learn's TfidfVectorizer with sublinear_tf, no smoothing
and no row normalisation weighs a word (1 + ln tf)(1 + ln(N / df)), Tribuo (1 + ln tf) ln(N / df); both then fit
an L2-regularised logistic regression with C = 1 (LIBLINEAR). Expect the accuracies to agree within a point or two,
not to the digit. Needs scikit-learn (Debian: apt-get install python3-sklearn).
Usage: /usr/bin/python3 scripts/bag-of-words-check.py RUN_DIR [RUN_DIR ...]
"""
import csv
import json
import math
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

csv.field_size_limit(sys.maxsize)


def read_table(path):
    """Rows of a tsv or csv file with a header, keyed by their line in the file (header = line 1)."""
    # As fedlodrop reads them: tab-separated files without quoting, comma-separated ones with it.
    tsv = path.endswith(".tsv")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t" if tsv else ",", quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL)
        header = next(reader)
        rows = {}
        for row in reader:
            rows[reader.line_num] = dict(zip(header, row))
        return rows


def check(run_dir):
    run = Path(run_dir)
    fit = json.loads((run / "bag-of-words.json").read_text())
    summary = json.loads((run / "summary.json").read_text())
    train = read_table(fit["training_file"])
    test = list(read_table(fit["test_file"]).values())[: fit["test_texts"]]
    union = [train[line] for line in fit["training_lines"]]
    vectorizer = TfidfVectorizer(lowercase=True, token_pattern=r"[^\W_]+|_", sublinear_tf=True,
                                 smooth_idf=False, norm=None)
    x = vectorizer.fit_transform([r["sentence"] for r in union])
    classifier = LogisticRegression(C=1.0, solver="liblinear").fit(x, [r["label"] for r in union])
    probabilities = classifier.predict_proba(vectorizer.transform([r["sentence"] for r in test]))
    classes = list(classifier.classes_)
    truth = [classes.index(r["label"]) for r in test]
    accuracy = sum(p.argmax() == t for p, t in zip(probabilities, truth)) / len(test)
    loss = -sum(math.log(max(p[t], 1e-300)) for p, t in zip(probabilities, truth)) / len(test)
    print(f"{run}: seed {summary['seed']}, {len(union)} training texts, {len(test)} test texts; "
          f"fedlodrop (Tribuo) accuracy {summary['final_test_accuracy']:.4f} loss {summary['final_test_loss']:.4f}, "
          f"vocabulary {fit['vocabulary']}; scikit-learn accuracy {accuracy:.4f} loss {loss:.4f}, "
          f"vocabulary {len(vectorizer.vocabulary_)}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for directory in sys.argv[1:]:
        check(directory)
