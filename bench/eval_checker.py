"""Measure the content checker on a labelled TSV (label<TAB>text, header row, no quoting).

    python bench/eval_checker.py [FILE.tsv ...] [-v]

Prints precision and recall per category and the false-positive rate on ``ok``
rows (share of ok rows with any finding), for each file (default: both development
corpora, ``dev_corpus.tsv`` and ``dev_corpus_2.tsv``, from ../shared/checker). Uses
the word lists only, not the database terms, so the figures do not depend on a local
database.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unikum.settings")
csv.field_size_limit(sys.maxsize)


def evaluate(rows, check):
    from unikum.content.checker import ALL

    stats = {category: {"tp": 0, "fp": 0, "fn": 0} for category in ALL}
    ok_rows = ok_flagged = 0
    misses = []
    for label, text in rows:
        predicted = {finding.category for finding in check(text)}
        if label == "ok":
            ok_rows += 1
            ok_flagged += bool(predicted)
        for category in ALL:
            if category == label and category in predicted:
                stats[category]["tp"] += 1
            elif category == label:
                stats[category]["fn"] += 1
            elif category in predicted:
                stats[category]["fp"] += 1
        if (label == "ok" and predicted) or (label != "ok" and label not in predicted):
            misses.append((label, sorted(predicted), text))
    return stats, ok_rows, ok_flagged, misses


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv", nargs="*", help="labelled files (default: both development corpora)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the rows the checker gets wrong")
    args = parser.parse_args()

    import django

    django.setup()
    from unikum.content.checker import check, file_lexicon

    lexicon = file_lexicon()
    paths = args.tsv or [str(path) for path in default_corpora()]
    if not paths:
        sys.exit("no corpus given and none found in ../shared/checker")
    for path in paths:
        report(path, lambda text: check(text, lexicon=lexicon), args.verbose)


def default_corpora():
    here = Path(__file__).resolve().parents[1]
    for folder in (here.parent / "shared" / "checker", Path("/work/shared/checker")):
        found = [folder / name for name in ("dev_corpus.tsv", "dev_corpus_2.tsv") if (folder / name).exists()]
        if found:
            return found
    return []


def report(path, check, verbose):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header[:2] != ["label", "text"]:
            sys.exit(f"{path}: expected the header 'label<TAB>text', got {header!r}")
        rows = [(row[0], row[1]) for row in reader if row]

    started = time.perf_counter()
    stats, ok_rows, ok_flagged, misses = evaluate(rows, check)
    elapsed = time.perf_counter() - started

    print(f"{Path(path).name}: {len(rows)} rows, {elapsed * 1000:.0f} ms")
    print(f"{'category':16} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for category, counts in stats.items():
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{category:16} {precision:9.3f} {recall:7.3f} {tp:4} {fp:4} {fn:4}")
    rate = ok_flagged / ok_rows if ok_rows else 0.0
    print(f"false positives on ok rows: {ok_flagged}/{ok_rows} = {rate:.1%}")
    if verbose:
        for label, predicted, text in misses:
            print(f"  {label:16} predicted={predicted} {text[:160]}")
    print()


if __name__ == "__main__":
    main()
