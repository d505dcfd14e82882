"""Writes the known questions of library search (``search/known_questions.tsv``) from the
question sets of ``bench/``: every question that is not an article reference, with its
answers' titles as the library has them (an answer's title substring read as the benchmark
reads it), how each answer's text opens in the version in force, and the set it came from.

    python -m bench.known_questions --keep FOLDER

Needs a library kept by ``python -m bench.search_quality --corpus <Laws> --keep <folder>``.
Run it again whenever a question set is added or corrected; ``tests/test_known_questions.py``
fails while the file and the sets differ.
"""

import argparse
import csv
from datetime import datetime
from pathlib import Path

from pymongo import MongoClient

from api.devservers.local import local_servers
from bench.common import ROOT
from bench.search_quality import (
    KEPT_DATABASE,
    QUESTION_SETS,
    Question,
    kept_titles,
    questions,
    resolver,
)
from search.known import opening
from search.query import read

OUT = ROOT / "search" / "known_questions.tsv"


def asked(question: Question) -> bool:
    """Whether a question is asked by its words (an article reference is looked up)."""
    read_as = read(question.text)
    return read_as.reference is None and bool(read_as.text)


def openings(mongodb_url: str) -> dict[tuple[str, int], str]:
    """How each article of the kept library opens (``search.known.OPENING``), in the version
    in force where there is one, else in the newest; a document without articles as 0."""
    out: dict[tuple[str, int], str] = {}
    with MongoClient(mongodb_url) as mongo:
        found = mongo[KEPT_DATABASE].regulations.find(
            {}, {"title": 1, "status": 1, "promulgated_on": 1, "preamble": 1, "articles": 1}
        )
        newest_last = sorted(
            found,
            key=lambda d: (d["status"] == "EFFECTIVE", d.get("promulgated_on") or datetime.min),
        )
        for document in newest_last:
            texts = {a["number"]: a["text"] for a in document.get("articles", [])}
            texts.setdefault(0, document.get("preamble") or "")
            for number, text in texts.items():
                out[(document["title"], number)] = opening(text)
    return out


def rows(titles: set[str], opened: dict[tuple[str, int], str]) -> list[dict[str, str]]:
    meant = resolver(titles)
    out = []
    for path in QUESTION_SETS:
        for question in filter(asked, questions(path)):
            found = {(t, n) for sub, n in question.answers for t in meant(sub)}
            answers = sorted(a for a in found if opened.get(a))
            if answers:
                out.append({
                    "question": question.text,
                    "answers": "|".join(f"{title}:{number}" for title, number in answers),
                    "openings": "|".join(opened[a] for a in answers),
                    "source": path.name,
                })  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True, metavar="FOLDER")
    keep = parser.parse_args().keep
    with local_servers(keep, bin_dir=ROOT / ".jiandu" / "bin") as servers:
        titles = set(kept_titles(servers.mongodb_url, keep).values())
        found = rows(titles, openings(servers.mongodb_url))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["question", "answers", "openings", "source"], delimiter="\t",
                                lineterminator="\n")  # fmt: skip
        writer.writeheader()
        writer.writerows(found)
    print(f"{len(found)} questions written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
