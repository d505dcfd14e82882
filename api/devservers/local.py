"""Start, wait for, and stop a local MongoDB (single-node replica set) and Meilisearch.

Used by ``jiandu dev`` (data kept under the project's data folder) and by the test suite
(throw-away folder). Each server's data, log and pid file live under one root folder:

    root/servers.json          ports and Meilisearch key of the last start (reused when free)
    root/mongo/ root/meili/    data
    root/logs/*.log            server logs
    root/*.pid                 pid of the running server, to detect one left behind
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.errors import OperationFailure, PyMongoError

from api.devservers.binaries import install_meilisearch, mongod_path

REPLICA_SET = "rs0"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0


class ServerStartError(RuntimeError):
    """A local server could not be started; the message says why and where its log is."""


@dataclass(frozen=True)
class LocalServers:
    """Connection details of running local servers."""

    mongodb_url: str
    meili_url: str
    meili_master_key: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log written)"


class _Process:
    """One server process with its pid file and log."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.pid_file = root / f"{name}.pid"
        self.log = root / "logs" / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def refuse_stale(self) -> None:
        """Report a server left running by an earlier start instead of colliding with it."""
        if not self.pid_file.exists():
            return
        try:
            pid = int(self.pid_file.read_text().strip())
        except ValueError:
            pid = 0
        if pid and _alive(pid) and self.name in _command_line(pid):
            raise ServerStartError(
                f"上次启动的 {self.name} 仍在运行（pid {pid}，数据目录 "
                f"{self.pid_file.parent}）；请用 `kill {pid}` 停止后再启动"
            )
        self.pid_file.unlink()

    def start(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        """Start ``argv``, with ``env`` added to this process's environment (secrets go
        there: a command line is readable by every user of the machine)."""
        self.refuse_stale()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                argv,
                env={**os.environ, **env} if env else None,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches the API first; we stop servers after
            )
        self.pid_file.write_text(str(self.proc.pid))

    def check_running(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise ServerStartError(
                f"{self.name} 启动时退出，退出码 {self.proc.returncode}；"
                f"{self.log} 的最后几行：\n{_tail(self.log)}"
            )

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.pid_file.unlink(missing_ok=True)
        self.proc = None


def _wait_until(check: Callable[[], bool], process: _Process, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        process.check_running()
        if check():
            return
        if time.monotonic() > deadline:
            process.stop()
            raise ServerStartError(
                f"{process.name} 未在 {START_TIMEOUT_SECONDS:.0f} 秒内{what}；"
                f"{process.log} 的最后几行：\n{_tail(process.log)}"
            )
        time.sleep(0.2)


def _ensure_replica_set(client: MongoClient, host: str) -> None:  # type: ignore[type-arg]
    """Initiate the single-node replica set, or point it at the new port after a move."""
    try:
        config = client.admin.command("replSetGetConfig")["config"]
    except OperationFailure as e:
        if e.code != 94:  # NotYetInitialized
            raise
        client.admin.command(
            "replSetInitiate", {"_id": REPLICA_SET, "members": [{"_id": 0, "host": host}]}
        )
        return
    if config["members"][0]["host"] != host:
        config["members"][0]["host"] = host
        config["version"] += 1
        client.admin.command("replSetReconfig", config, force=True)


def _mongo_primary(client: MongoClient) -> bool:  # type: ignore[type-arg]
    try:
        return bool(client.admin.command("hello").get("isWritablePrimary"))
    except PyMongoError:
        return False


def _mongo_answers(client: MongoClient) -> bool:  # type: ignore[type-arg]
    try:
        client.admin.command("ping")
    except PyMongoError:
        return False
    return True


def _meili_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
            return bool(json.load(response).get("status") == "available")
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _choose_ports(root: Path) -> dict[str, object]:
    """Reuse the last start's ports where they are free (MongoDB keeps its host in its config)."""
    state_file = root / "servers.json"
    state: dict[str, object] = json.loads(state_file.read_text()) if state_file.exists() else {}
    for key in ("mongo_port", "meili_port"):
        port = state.get(key)
        if not isinstance(port, int) or not _port_is_free(port):
            state[key] = free_port()
    state.setdefault("meili_master_key", secrets.token_urlsafe(24))
    state_file.write_text(json.dumps(state, indent=2))
    return state


@contextmanager
def local_servers(root: Path, *, bin_dir: Path) -> Iterator[LocalServers]:
    """Run MongoDB and Meilisearch with data under ``root`` until the block ends."""
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    state = _choose_ports(root)
    mongo_port, meili_port = int(state["mongo_port"]), int(state["meili_port"])  # type: ignore[call-overload]
    meili_key = str(state["meili_master_key"])
    with (
        local_mongodb(root, port=mongo_port) as mongodb_url,
        local_meilisearch(root, bin_dir=bin_dir, port=meili_port, master_key=meili_key) as url,
    ):
        yield LocalServers(mongodb_url=mongodb_url, meili_url=url, meili_master_key=meili_key)


@contextmanager
def local_mongodb(root: Path, *, port: int) -> Iterator[str]:
    """Run MongoDB as a single-node replica set with data under ``root`` until the block
    ends; yields its URL. Started again on the same root and port, it comes back with its
    data (the failure tests do so)."""
    mongo = _Process("mongod", root)
    (root / "mongo").mkdir(parents=True, exist_ok=True)
    try:
        mongo.start(
            [
                str(mongod_path()),
                "--replSet", REPLICA_SET,
                "--bind_ip", "127.0.0.1",
                "--port", str(port),
                "--dbpath", str(root / "mongo"),
                "--logpath", str(mongo.log),
                "--logappend",
                "--wiredTigerCacheSizeGB", "0.5",
                "--setParameter", "diagnosticDataCollectionEnabled=false",
            ]
        )  # fmt: skip
        host = f"127.0.0.1:{port}"
        client: MongoClient[dict[str, Any]]
        with MongoClient(f"mongodb://{host}/?directConnection=true",
                         serverSelectionTimeoutMS=500) as client:  # fmt: skip
            _wait_until(lambda: _mongo_answers(client), mongo, "可以连接")
            _ensure_replica_set(client, host)
            _wait_until(lambda: _mongo_primary(client), mongo, "成为副本集的主节点")
        yield f"mongodb://{host}/?directConnection=true"
    finally:
        mongo.stop()


@contextmanager
def local_meilisearch(root: Path, *, bin_dir: Path, port: int, master_key: str) -> Iterator[str]:
    """Run Meilisearch with data under ``root`` until the block ends; yields its URL. Started
    again on the same root and port, it comes back with its data (the failure tests do so)."""
    meili = _Process("meilisearch", root)
    binary = install_meilisearch(bin_dir)
    try:
        meili.start(
            [
                str(binary),
                "--db-path", str(root / "meili" / "data.ms"),
                "--dump-dir", str(root / "meili" / "dumps"),
                "--snapshot-dir", str(root / "meili" / "snapshots"),
                "--http-addr", f"127.0.0.1:{port}",
                "--env", "development",
                "--no-analytics",
            ],
            env={"MEILI_MASTER_KEY": master_key},
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        _wait_until(lambda: _meili_healthy(url), meili, "就绪")
        yield url
    finally:
        meili.stop()
