"""Checks the search word list (``search/words.yaml``) against a real library: an entry is worth
having only when the library uses its statute words. Prints the groups and expansions none of
whose statute words (a group: any of its words) is in at least ``--at-least`` documents of
the corpus, with each word's count, so that a reviewer can point them at the words the
statutes do use (丈夫 is in no article of LawRefBook: the statutes say 配偶, 夫妻, 男方).

    .venv/bin/python -m bench.word_list --corpus ~/Laws [--at-least 3]
"""

import argparse
from pathlib import Path

from search.script import normalize
from search.words import words


def documents(corpus: Path) -> list[str]:
    """The texts of the corpus's Markdown files, in the form the word list is written in."""
    return [normalize(p.read_text("utf-8", errors="replace")) for p in sorted(corpus.rglob("*.md"))]


def unused(texts: list[str], at_least: int) -> list[tuple[str, dict[str, int]]]:
    """The entries whose statute words are all in fewer than ``at_least`` of ``texts``, each
    with how many texts hold each of its words."""
    listed = words()
    groups = (*listed.abbreviations, *listed.colloquial)
    entries = [(" / ".join(group), group) for group in groups]
    entries += [(f"{w} → {' / '.join(meant)}", meant) for w, meant in listed.expansions.items()]
    held: dict[str, int] = {}
    out = []
    for entry, statute in entries:
        for w in statute:
            if w not in held:  # a word of several entries is counted once
                held[w] = sum(w in text for text in texts)
        counts = {w: held[w] for w in statute}
        if max(counts.values()) < at_least:
            out.append((entry, counts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of Markdown laws")
    parser.add_argument("--at-least", type=int, default=3, help="documents (default 3)")
    args = parser.parse_args()
    texts = documents(args.corpus)
    weak = unused(texts, args.at_least)
    print(f"{len(texts):,} documents; {len(weak)} entries with no statute word in "
          f"{args.at_least} of them:")  # fmt: skip
    for entry, counts in weak:
        print(f"  {entry}  ({', '.join(f'{w} {n}' for w, n in counts.items())})")


if __name__ == "__main__":
    main()
