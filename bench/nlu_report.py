"""How well the interaction model hears people: the labelled corpus of everyday utterances
(`tests/nlu/corpus.jsonl`, none of them a sample) run through the chat resolver (what
`small-steps chat` and the tests use) and through virtual-alexa's own matcher (what the
end-to-end tests use), with per-intent and per-category counts, the feelings and
hesitations that reached a logging intent, and every miss.

The last line is ``nlu_agreement=X``: the fraction of the corpus that reached its labelled
intent (and its labelled slots), the lower of the two ways. The target is X >= 0.9, and no
feeling or hesitation may reach LogDoneIntent or LogNotDoneIntent. The exit status is 0
whether the target is met or not (the test in tests/nlu holds the resolver to it).

It also writes the corpus as an NLU annotation set for the Alexa tools' NLU evaluation
(`tests/nlu/annotations.en-GB.json` and `.csv`); ``--check`` writes nothing and exits 1 if
those files are stale.

    make nlu-report
    .venv/bin/python bench/nlu_report.py [--check] [--no-virtual-alexa]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skill.devtools import nlu  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the annotation set is stale")
    parser.add_argument("--no-virtual-alexa", action="store_true",
                        help="only the chat resolver (no Node.js needed)")
    args = parser.parse_args(argv)
    rows = nlu.load_corpus()
    stale = nlu.write_annotations(rows, check=args.check)
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(nlu.ROOT)} (run bench/nlu_report.py)")
        return 1 if stale else 0
    for path in stale:
        print(f"wrote: {path.relative_to(nlu.ROOT)}")
    model = nlu.load_model()
    tallies = [nlu.through_resolver(rows, model)]
    if not args.no_virtual_alexa:
        tallies.append(nlu.through_virtual_alexa(rows, model))
    held_rows = nlu.load_corpus(nlu.HELD_OUT)
    held = [nlu.through_resolver(held_rows, model)]
    if not args.no_virtual_alexa:
        held.append(nlu.through_virtual_alexa(held_rows, model))
    nlu.report(rows, tallies, sys.stdout, held_out=held)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
