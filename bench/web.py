"""The workbench in Debian's Chromium on the demo data: what its first load transfers, and
how soon a search shows its results, against the search request alone in the same run.

    .venv/bin/python -m bench.web [--runs 20]

It starts `jiandu dev` on its own servers and database (as `make run` does: demo data, the
built workbench), then:

- **first load**: a fresh browser (empty cache) opens a results page; every response's
  bytes on the wire are read from Chromium's network log, JavaScript apart;
- **a results page opened**: a fresh page load of ``/library?q=…`` until the result count
  shows, in the page's own clock (``performance.now()`` from navigation start);
- **a search in the page**: a question typed into the open page and sent, until the new
  count shows;
- **baseline**: the page's own GraphQL request for the same question, posted by Python.

Writes ``bench/WEB_RESULTS.md``. Goals (issue 16): ≤ 300 KB of compressed JavaScript on
the first load, and results interactive within 1 s."""

import argparse
import csv
import json
import time
import uuid

import httpx
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bench.common import ROOT, machine, percentiles, ratio, servers
from tests.browser import chromium, served_demo

RESULTS = ROOT / "bench" / "WEB_RESULTS.md"
QUESTIONS = ROOT / "bench" / "search_questions.tsv"
SEARCH = """
query SearchLibrary($query: String!, $filter: RegulationFilter, $order: SearchOrder!,
                    $first: Int, $after: String) {
  searchRegulations(query: $query, filter: $filter, order: $order, first: $first, after: $after) {
    totalCount notice { code message } facets { field values { value label count } }
    pageInfo { hasNextPage endCursor }
    edges { node {
      regulation { id title kind level region status promulgatedOn issuingBody }
      articles { number label heading passage { text matches { start length } } }
    } }
  }
  enumLabels(names: ["RegulationKind", "Level", "RegulationStatus"]) { name values { value label } }
}"""
"""The page's own request (web/src/views/LibraryView.vue)."""
SHOWN = """
window.__shown = null;
new MutationObserver((_, watcher) => {
  if (document.querySelector('[data-test=total]')) {
    window.__shown = performance.now();
    watcher.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""
"""Run in every new document before its own scripts: when the result count first shows."""


def questions(count: int) -> list[str]:
    with QUESTIONS.open(encoding="utf-8") as f:
        return [row["question"] for row in csv.DictReader(f, delimiter="\t")][:count]


def first_load(driver: Chrome, base: str) -> dict[str, int]:
    """Bytes on the wire of a cold load of a results page, by kind."""
    driver.get(f"{base}/library?q=预算调整")
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-test=total]"))
    time.sleep(0.5)  # the last responses' loadingFinished events
    kinds: dict[str, str] = {}
    wire: dict[str, int] = {"javascript": 0, "css": 0, "html": 0, "graphql": 0, "other": 0}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.responseReceived":
            response = params["response"]
            kinds[params["requestId"]] = _kind(response["url"], response["mimeType"])
        elif message["method"] == "Network.loadingFinished":
            kind = kinds.get(params["requestId"], "other")
            wire[kind] += int(params["encodedDataLength"])
    return wire


def _kind(url: str, mime: str) -> str:
    if "/graphql" in url:
        return "graphql"
    for kind in ("javascript", "css", "html"):
        if kind in mime:
            return kind
    return "other"


def opened(driver: WebDriver, base: str, question: str) -> float:
    """Milliseconds from navigation start until the results page shows its count."""
    driver.get(f"{base}/library?q={question}")
    return _shown(driver)


WATCH = """
const asked = arguments[0];
window.__shown = null;
new MutationObserver((_, watcher) => {
  if (document.querySelector('[data-test=total]')?.dataset.for === asked) {
    window.__shown = performance.now();
    watcher.disconnect();
  }
}).observe(document.body, { subtree: true, childList: true, attributes: true });
"""
"""When the count of the question's own results shows (not the previous question's)."""


def searched(driver: WebDriver, question: str) -> float:
    """Milliseconds from sending a question in the open page until its count shows."""
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(question)
    driver.execute_script(WATCH, question)
    started = float(driver.execute_script("return performance.now()"))
    box.send_keys(Keys.ENTER)
    return _shown(driver) - started


def _shown(driver: WebDriver) -> float:
    WebDriverWait(driver, 30, poll_frequency=0.02).until(
        lambda d: d.execute_script("return window.__shown")
    )
    return float(driver.execute_script("return window.__shown"))


def request_alone(base: str, question: str) -> float:
    variables = {"query": question, "filter": {}, "order": "RELEVANCE", "first": 10, "after": None}
    started = time.perf_counter()
    answer = httpx.post(f"{base}/graphql", json={"query": SEARCH, "variables": variables})
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200 and "errors" not in answer.json(), answer.text[:300]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="questions asked, each once per way")
    args = parser.parse_args()
    asked = questions(args.runs)
    with servers() as local, served_demo(local, f"bench_web_{uuid.uuid4().hex[:8]}") as base:
        with chromium() as cold:
            wire = first_load(cold, base)
        with chromium() as driver:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SHOWN})
            opened(driver, base, asked[0])  # warm: the files are in the browser's cache
            pages = [opened(driver, base, q) for q in asked]
            inside = [searched(driver, q) for q in asked]
        alone = [request_alone(base, q) for q in asked for _ in range(2)][1::2]
    write(wire, pages, inside, alone, len(asked))


def write(wire: dict[str, int], pages: list[float], inside: list[float], alone: list[float],
          runs: int) -> None:  # fmt: skip
    def row(name: str, samples: list[float]) -> str:
        ours, base = percentiles(samples), percentiles(alone)
        cells = " | ".join(f"{ours[p]:.0f} (×{ratio(ours[p] / base[p])})" for p in ("p50", "p95"))
        return f"| {name} | {cells} |"

    lines = [
        "# The workbench in a browser",
        "",
        f"Written by `bench/web.py` on {machine()}, Debian's Chromium, headless; the demo "
        "data). See the script's docstring for what each figure is.",
        "",
        "## First load (empty cache), bytes on the wire",
        "",
        "| | KB |",
        "|---|---|",
        *(f"| {kind} | {size / 1024:.1f} |" for kind, size in wire.items()),
        "",
        f"Compressed JavaScript: {wire['javascript'] / 1024:.1f} KB (goal ≤ 300 KB): "
        + ("met." if wire["javascript"] <= 300 * 1024 else "**not met**."),
        "",
        f"## Search: {runs} questions from `search_questions.tsv`, milliseconds",
        "",
        "Each cell: the page's time (its ratio to the search request alone, posted by Python in",
        "the same run).",
        "",
        "| | p50 | p95 |",
        "|---|---|---|",
        row("a results page opened (files cached, a new page load)", pages),
        row("a search sent in the open page", inside),
        f"| baseline: the page's GraphQL request alone | {percentiles(alone)['p50']:.0f} | "
        f"{percentiles(alone)['p95']:.0f} |",
        "",
        f"Results interactive within 1 s: {'met' if max(pages + inside) <= 1000 else '**not met**'}"
        f" (slowest {max(pages + inside):.0f} ms).",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
