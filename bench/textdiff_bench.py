"""Timings of the word diff (fh_intranet/textdiff.py) on long and hostile inputs.

    .venv/bin/python -m bench.textdiff_bench [--before]

Prints CPU time per case (best of three) and how much of the shorter text stayed "same". With
--before it also times the former comparison (difflib over all tokens, white space included,
autojunk off) on the cases where that finishes within minutes.
"""
import random
import sys
import time
from difflib import SequenceMatcher

from fh_intranet import textdiff
from tests.test_textdiff import ADVERSARIAL, rebuilt


def former(old, new):
    a, b = textdiff.tokens(old), textdiff.tokens(new)
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def cases():
    yield from ADVERSARIAL.items()
    rng = random.Random(1)
    yield "50000 random a/b vs random a/b", (" ".join(rng.choice("ab") for _ in range(50_000)),
                                            " ".join(rng.choice("ab") for _ in range(50_000)))


def best_of(runs, function, *args):
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        result = function(*args)
        best = min(best, time.process_time() - started)
    return best, result


def main():
    before = "--before" in sys.argv
    print(f"{'case':45} {'words':>13} {'ms':>8} {'same':>5} {'pieces':>7}" + ("  before ms" if before else ""))
    for name, (old, new) in cases():
        seconds, pieces = best_of(3, textdiff.compare, old, new)
        assert rebuilt(pieces) == (old, new)
        same = sum(len(p.text) for p in pieces if p.kind == "same") / max(1, min(len(old), len(new)))
        words = f"{len(old.split())}/{len(new.split())}"
        line = f"{name:45} {words:>13} {seconds * 1000:8.1f} {same:5.2f} {len(pieces):7}"
        if before and len(textdiff.tokens(old)) + len(textdiff.tokens(new)) < 20_000:
            line += f"  {best_of(1, former, old, new)[0] * 1000:9.0f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
