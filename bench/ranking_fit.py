"""Fitting the scoring constants of ``search.ranking`` on question sets, judged on others.

Needs a library kept by ``python -m bench.search_quality --corpus <Laws> --keep <folder>``.
Each question's candidates are gathered once (``search.regulations.gathered``: they do not
depend on the constants fitted here), then scored again for every trial, in process, a few
seconds a trial. Coordinate ascent over the grid below on the training sets: a value is taken
when it finds at least half an answer more (answers in the first five plus the sum of
reciprocal ranks); then the starting and the fitted constants are compared on the judging
sets, which the fit never saw. Prints a Markdown report; changes no file. Adopt a fitted
value only if the judging sets agree (bench/README.md).

    python -m bench.ranking_fit --keep <folder> [--judge NAME …] [--sweeps 2]
"""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import search.ranking as scoring
import search.regulations as library
from api.devservers.local import local_servers
from bench.common import ROOT, bench_settings
from bench.search_quality import (
    KEPT_DATABASE,
    QUESTION_SETS,
    kept_titles,
    questions,
    rank,
    resolver,
)
from search.client import make_client
from search.query import read
from search.regulations import Candidates, RegulationSearch, gathered, ranked, ranking
from search.word_counts import WordCounts

GRID: dict[str, list[float]] = {
    "K1": [0.8, 1.2, 1.6, 2.2],
    "B": [0.25, 0.5, 0.75],
    "TITLE_MATCH": [0.5, 0.8, 1.0, 1.3],
    "PRIOR": [10.0, 15.0, 20.0, 25.0, 30.0, 40.0],
    "IN_FORCE_PRIOR": [0.0, 0.5, 1.0, 2.0],
    "COVERAGE": [0.5, 1.0, 1.5, 2.0],
    "INTENT": [1.0, 2.0, 3.0, 4.0, 5.0],
    "ALSO_SHOWN": [0.65, 0.75, 0.85],
    "JUDICIAL_INTERPRETATION": [0.3, 0.5, 0.7],
    "ADMINISTRATIVE_REGULATION": [0.6, 0.8, 0.9],
    "DEPARTMENTAL_RULE": [0.1, 0.3, 0.5],
}
"""The constants tried and their values; a kind's name is its national prior."""
JUDGES = [
    "search_questions_ninth.tsv",
    "search_questions_tenth.tsv",
    "search_questions_eleventh.tsv",
]
MORE = 0.5
"""How much better a value must do on the training sets to be taken."""


@dataclass(frozen=True)
class Case:
    name: str
    """The question set."""
    text: str
    wanted: set[tuple[str, int]]
    candidates: Candidates


def current() -> dict[str, float]:
    values = {name: getattr(scoring, name) for name in GRID if hasattr(scoring, name)}
    values["ALSO_SHOWN"] = library.ALSO_SHOWN
    values |= {k: v for k, v in scoring.NATIONAL_PRIOR.items() if k in GRID}
    return values


@contextmanager
def constants(values: dict[str, float]) -> Iterator[None]:
    """The constants set to ``values`` for the time of the block."""
    before = current()

    def put(given: dict[str, float]) -> None:
        for name, value in given.items():
            if name in scoring.NATIONAL_PRIOR:
                scoring.NATIONAL_PRIOR[name] = value
            elif name == "ALSO_SHOWN":
                library.ALSO_SHOWN = value
            else:
                setattr(scoring, name, value)

    put(values)
    try:
        yield
    finally:
        put(before)


def cases(keep: Path, sets: list[Path]) -> tuple[list[Case], dict[str, str]]:
    """Every question that is no article reference, with its candidates."""
    found: list[Case] = []
    with local_servers(keep, bin_dir=ROOT / ".jiandu" / "bin") as servers:
        settings = bench_settings(servers, search_sync_in_process=False)
        client = make_client(settings)
        titles = kept_titles(servers.mongodb_url, keep)
        meant = resolver(set(titles.values()))
        scoring.prepare()
        counts = WordCounts()
        for path in sets:
            for question in questions(path):
                read_as = read(question.text)
                if read_as.reference is not None or not read_as.text:
                    continue
                wanted = {(t, n) for sub, n in question.answers for t in meant(sub)}
                search = _search(question.text)
                hits = gathered(client, search, KEPT_DATABASE, read_as.text, counts)
                found.append(Case(path.name, question.text, wanted, hits))
    return found, titles


def _search(text: str) -> RegulationSearch:
    return RegulationSearch(text=text, visibilities=["PUBLIC", "INTERNAL"], limit=5, facets=False)


Scores = dict[str, tuple[int, float, int]]


def scores(all_cases: list[Case], titles: dict[str, str], values: dict[str, float]) -> Scores:
    """Per set: (answers in the first five, sum of reciprocal ranks, questions)."""
    per: dict[str, list[int | None]] = {}
    with constants(values):
        for case in all_cases:
            search = _search(case.text)
            page = ranked(ranking(case.candidates, search), search)
            shown = [(titles[h.regulation_id], a.number) for h in page.hits for a in h.articles]
            per.setdefault(case.name, []).append(rank(shown, case.wanted))
    return {
        name: (sum(1 for r in ranks if r and r <= 5), sum(1 / r for r in ranks if r), len(ranks))
        for name, ranks in per.items()
    }


def objective(result: Scores, names: set[str]) -> float:
    return sum(top + reciprocal for name, (top, reciprocal, _) in result.items() if name in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True, metavar="FOLDER")
    parser.add_argument("--judge", nargs="+", default=JUDGES, metavar="NAME")
    parser.add_argument("--sweeps", type=int, default=2)
    arguments = parser.parse_args()
    judges = set(arguments.judge)
    if unknown := judges - {path.name for path in QUESTION_SETS}:
        known = ", ".join(path.name for path in QUESTION_SETS)
        parser.error(f"no question set {', '.join(sorted(unknown))} (the sets: {known})")
    all_cases, titles = cases(arguments.keep, QUESTION_SETS)
    training = {c.name for c in all_cases} - judges
    start = current()
    fitted = dict(start)
    best = objective(scores(all_cases, titles, fitted), training)
    lines = [
        "# Fitting the scoring constants",
        "",
        f"Training sets: {', '.join(sorted(training))}.",
        f"Objective at the start: {best:.1f}.",
        "",
        "| taken | objective |",
        "|---|---|",
    ]
    for _ in range(arguments.sweeps):
        taken = False
        for name, values in GRID.items():
            for value in values:
                if value == fitted[name]:
                    continue
                trial = {**fitted, name: value}
                reached = objective(scores(all_cases, titles, trial), training)
                if reached > best + MORE:
                    best, fitted, taken = reached, trial, True
                    lines.append(f"| {name} = {value} | {reached:.1f} |")
        if not taken:
            break
    lines += ["", "| set | starting: recall@5 / MRR | fitted |", "|---|---|---|"]
    before, after = scores(all_cases, titles, start), scores(all_cases, titles, fitted)
    for name in sorted(before, key=lambda n: (n in judges, n)):
        (a, ra, n), (b, rb, _) = before[name], after[name]
        judged = " (judge)" if name in judges else ""
        lines.append(
            f"| {name}{judged} | {a / n:.3f} / {ra / n:.3f} | {b / n:.3f} / {rb / n:.3f} |"
        )
    changed = {k: v for k, v in fitted.items() if v != start[k]}
    lines += ["", f"Changed: {changed or 'nothing'}."]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
