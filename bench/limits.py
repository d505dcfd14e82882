"""The cost of the query limit checks against the size of the document.

    .venv/bin/python -m bench.limits [--runs 15] [--output bench/LIMITS_RESULTS.md]

For documents of growing size, each a shape built to multiply (fragments spreading the next
twice; the same through inline fragments, under list fields, with aliases) or to load
graphql-core's own rules (flat lists of fields, fragments side by side, whose overlap check is
quadratic), it times in the same run:

- **parse**: plain graphql-core ``parse`` of the text, the baseline;
- **limits**: jiandu's own checks after parsing (``schema.limits.check_limits``: counting
  the selections and spreads, and measuring depth, aliases and cost, each fragment once);
- **rules**: graphql-core's validation rules as jiandu runs them (only when the limits pass);
- **cold total**: what a request with a new text costs, parse to verdict, caches empty.

The count limits are raised out of the way (as far as tokens, selections and spreads go) so
that the measuring itself is timed at every size; the last column says what the default
settings do with the same document. Each time is the median of ``--runs`` runs, in
milliseconds. No servers are needed.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, parse, specified_rules, validate
from graphql.validation import MaxIntrospectionDepthRule

from api.settings import Settings
from schema import build_schema
from schema.limits import DocumentChecks, check_limits, count_selections

CORE_RULES = (*specified_rules, MaxIntrospectionDepthRule)
"""graphql-core's rules as jiandu runs them (strawberry adds two small ones of its own)."""
OUTPUT = Path(__file__).resolve().parent / "LIMITS_RESULTS.md"


def chain(depth: int, level: Callable[[str], str], last: str = "__typename") -> str:
    lines = ["query { ...F0 }"]
    lines += [f"fragment F{i} on Query {{ {level(f'F{i + 1}')} }}" for i in range(depth)]
    lines.append(f"fragment F{depth} on Query {{ {last} }}")
    return "\n".join(lines)


SHAPES: dict[str, Callable[[int], str]] = {
    "spreads ×2 per level": lambda n: chain(n, lambda f: f"...{f} ...{f}"),
    "inline fragments ×2": lambda n: chain(
        n, lambda f: f"... on Query {{ ...{f} }} ... {{ ...{f} }}"
    ),
    "list fields ×2": lambda n: chain(
        n, lambda f: f"__typename ...{f} enumLabels {{ name values {{ value }} }} ...{f}"
    ),
    "aliases ×2": lambda n: chain(
        n, lambda f: f"a: __typename ...{f} b: __typename ...{f}", "z: __typename"
    ),
    "aliased fields, flat": lambda n: (
        "{ " + " ".join(f"f{i}: __typename" for i in range(n * 4)) + " }"
    ),
    "one field repeated, flat": lambda n: "{ " + "__typename " * (n * 4) + "}",
    "fragments side by side": lambda n: (
        "{ "
        + " ".join(f"...F{i}" for i in range(n))
        + " } "
        + " ".join(f"fragment F{i} on Query {{ __typename }}" for i in range(n))
    ),
}
SIZES = (10, 20, 40, 100, 200, 400)


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def verdict(checks: DocumentChecks, schema: GraphQLSchema, text: str) -> str:
    """The codes a request with this text gets (or "accepted")."""
    try:
        document = checks.parse(text)
    except GraphQLError as error:
        return str((error.extensions or {}).get("code", "GRAPHQL_PARSE_FAILED"))
    errors = checks.validate(schema, text, document, tuple(specified_rules))
    codes = {str((e.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")) for e in errors}
    return ", ".join(sorted(codes)) or "accepted"


Row = tuple[str, int, int, int, int, float, float, float, float | None, float, float, str]


def measure(
    shape: str,
    size: int,
    text: str,
    schema: GraphQLSchema,
    roomy: Settings,
    default: Settings,
    runs: int,
) -> Row:
    document = parse(text)
    selections, spreads = count_selections(document)
    parse_ms = median_ms(lambda: parse(text), runs)
    limits_ms = median_ms(lambda: check_limits(schema, document, roomy), runs)
    refused = bool(check_limits(schema, document, roomy))
    rules_ms = None if refused else median_ms(lambda: validate(schema, document, CORE_RULES), runs)

    def cold() -> None:
        checks = DocumentChecks(roomy)
        checks.validate(schema, text, checks.parse(text), tuple(specified_rules))

    cold_ms = median_ms(cold, runs)
    return (
        shape,
        size,
        len(text.encode()),
        selections,
        spreads,
        parse_ms,
        limits_ms,
        limits_ms / parse_ms,
        rules_ms,
        cold_ms,
        cold_ms / parse_ms,
        verdict(DocumentChecks(default), schema, text),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    roomy = Settings(
        env="test",  # type: ignore[arg-type]
        graphql_max_tokens=10**7,
        graphql_max_selections=10**7,
        graphql_max_fragment_spreads=10**7,
        graphql_max_aliases=10**7,
    )
    default = Settings(env="test")  # type: ignore[arg-type]
    schema = build_schema(roomy)._schema

    rows = []
    for shape, build in SHAPES.items():
        for size in SIZES:
            rows.append(measure(shape, size, build(size), schema, roomy, default, args.runs))
            print(" | ".join(str(cell) for cell in rows[-1][:2]), f"{rows[-1][9]:.2f} ms cold")

    lines = [
        "# Query limit checks against document size",
        "",
        "`.venv/bin/python -m bench.limits` (see `bench/README.md`). Times are medians in "
        "milliseconds; ratios are to the plain graphql-core parse of the same text, "
        "measured in the same run. Count limits raised for the timing; the last column is "
        "what the default settings answer.",
        "",
        "| shape | levels | bytes | selections | spreads | parse (baseline) | limits | "
        "limits ÷ parse | graphql-core rules | cold total | cold ÷ parse | default settings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        rules_cell = "refused first" if r[8] is None else f"{r[8]:.2f}"
        lines.append(
            f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]:.2f} | {r[6]:.2f} | "
            f"{r[7]:.2f} | {rules_cell} | {r[9]:.2f} | {r[10]:.2f} | {r[11]} |"
        )
    args.output.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
