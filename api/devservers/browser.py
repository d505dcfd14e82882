"""The browser of the workbench's tests: Debian's Chromium and its ChromeDriver.

A test tool's own browser download cannot reach its servers here, so the tests drive the
distribution's packages (``chromium``, ``chromium-driver``), installed with apt-get when
missing, as the two servers are installed when missing."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from api.devservers.binaries import BinaryError

PACKAGES = ("chromium", "chromium-driver", "fonts-wqy-microhei")
"""The browser, its driver, and a Chinese font (without one every label is a row of boxes)."""


@dataclass(frozen=True)
class Browser:
    chromium: Path
    chromedriver: Path


def find() -> Browser | None:
    """The installed browser and driver, if both are there with a Chinese font."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver and _chinese_font()):
        return None
    return Browser(Path(chromium), Path(driver))


def _chinese_font() -> bool:
    listing = shutil.which("fc-list")  # fontconfig comes with chromium
    if listing is None:
        return False
    fonts = subprocess.run([listing, ":lang=zh", "family"], capture_output=True, text=True)
    return fonts.returncode == 0 and bool(fonts.stdout.strip())


def install() -> Browser:
    """The browser, installed with apt-get first when missing (as root)."""
    if (found := find()) is not None:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise BinaryError(
            f"the workbench's browser tests need Debian's {', '.join(PACKAGES)}: "
            "install them with apt-get, or run the setup as root"
        )
    command = [apt, "install", "-y", "-q", "--no-install-recommends", *PACKAGES]
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # the package lists may be missing or stale
        subprocess.run([apt, "update", "-q"], env=environment, capture_output=True, check=False)
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0 or (found := find()) is None:
        raise BinaryError(f"apt-get could not install {' '.join(PACKAGES)}: {done.stderr[-500:]}")
    return found
