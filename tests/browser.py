"""The workbench in a real browser: jiandu served with the demo data as `make run` serves it,
and Debian's Chromium driven by Selenium through Debian's ChromeDriver."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from api.devservers.browser import find
from api.devservers.local import LocalServers, free_port

ROOT = Path(__file__).resolve().parent.parent
QUIET = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--lang=zh-CN",
)  # fmt: skip
"""Headless, and none of Chromium's own calls home (refused on a closed network)."""


@contextmanager
def served_demo(servers: LocalServers, database: str) -> Iterator[str]:
    """`jiandu dev` on the given servers and database: demo data loaded, the API and the
    built workbench on a free port, the library searchable. Yields the base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "MONGODB_URL": servers.mongodb_url,
        "MEILI_URL": servers.meili_url,
        "MEILI_MASTER_KEY": servers.meili_master_key,
        "JIANDU_MONGODB_DATABASE": database,
        "JIANDU_PORT": str(port),
        "JIANDU_LOG_FORMAT": "console",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "dev"], env=environment, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_searchable(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_searchable(base: str, process: subprocess.Popen[str]) -> None:
    query = {"query": '{ searchRegulations(query: "预算") { totalCount } }'}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jiandu dev stopped: {process.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        try:
            answer = httpx.post(f"{base}/graphql", json=query, timeout=5).json()
            if answer["data"]["searchRegulations"]["totalCount"] > 0:
                return
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError("jiandu dev did not become searchable within 120 s")


@contextmanager
def chromium(width: int = 1366, height: int = 768) -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium with its network requests logged."""
    browser = find()
    assert browser is not None, "Chromium is missing: `make test` installs it"
    options = Options()
    options.binary_location = str(browser.chromium)
    for flag in QUIET:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(browser.chromedriver)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the page asked for since the last call (from Chromium's network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def foreign_hosts(driver: webdriver.Chrome, base: str) -> set[str]:
    """Hosts other than jiandu's own that the page asked for (data: URLs are no host)."""
    own = urlsplit(base).netloc
    return {
        urlsplit(url).netloc
        for url in requested_urls(driver)
        if not url.startswith("data:") and urlsplit(url).netloc != own
    }
