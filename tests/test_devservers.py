"""The local servers: checked binaries, data kept across starts, stale and crashed processes
reported instead of hanging."""

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pymongo import MongoClient

from api.devservers import ide_assets
from api.devservers.binaries import BinaryError, install_meilisearch, meilisearch_path
from api.devservers.local import (
    ServerStartError,
    _command_line,
    _Process,
    _wait_until,
    free_port,
    local_meilisearch,
    local_servers,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.servers  # they start servers of their own

BIN_DIR = ROOT / ".jiandu" / "bin"


def test_a_binary_with_the_wrong_checksum_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BinaryError, match="checksum mismatch") as refused:
        install_meilisearch(tmp_path, expected_sha256="0" * 64)
    assert "expected sha256 " + "0" * 64 in str(refused.value)
    assert not meilisearch_path(tmp_path).exists()
    assert [p.name for p in tmp_path.iterdir()] == []


PAGE = """<script src="https://cdn.example/js-cookie@3.0.5/dist/js.cookie.min.js"
  integrity="sha384-/vxhYfM1LENRhdpZ8dwEsQn/X4VhpbEZSiU4m/FwR+PVpzar4fkEOw8FP9Y+OfQN"></script>"""


def test_graphiql_files_are_fetched_checked_and_served_from_here(tmp_path: Path) -> None:
    assert ide_assets.served_locally(PAGE, tmp_path) == PAGE  # nothing fetched: as it was
    (path,) = ide_assets.install(tmp_path, PAGE)
    assert path.read_bytes().startswith(b"/*! js-cookie v3.0.5")
    assert 'src="/graphiql-assets/js-cookie@3.0.5/dist/js.cookie.min.js"' in (
        ide_assets.served_locally(PAGE, tmp_path)
    )
    tampered = PAGE.replace("sha384-/vx", "sha384-AAA")
    with pytest.raises(BinaryError, match="differs from the page's hash"):
        ide_assets.install(tmp_path / "other", tampered)
    assert not (tmp_path / "other").exists()


def test_a_second_start_reuses_the_data(tmp_path: Path) -> None:
    with local_servers(tmp_path, bin_dir=BIN_DIR) as first:
        with MongoClient(first.mongodb_url) as client:
            client.kept.notes.insert_one({"text": "第一次启动"})
    assert not (tmp_path / "mongod.pid").exists()
    with local_servers(tmp_path, bin_dir=BIN_DIR) as second:
        with MongoClient(second.mongodb_url) as client:
            assert client.kept.notes.find_one({}, {"_id": 0}) == {"text": "第一次启动"}
            # still a replica set primary: transactions work
            with client.start_session() as session, session.start_transaction():
                client.kept.notes.insert_one({"text": "事务"}, session=session)
        assert second.meili_master_key == first.meili_master_key


def test_a_server_left_running_is_reported(tmp_path: Path) -> None:
    impostor = tmp_path / "bin" / "mongod"  # any long-running program named like the server
    impostor.parent.mkdir()
    shutil.copy("/bin/sleep", impostor)
    squatter = subprocess.Popen([str(impostor), "60"])
    try:
        deadline = time.monotonic() + 5
        while "mongod" not in _command_line(squatter.pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # until the child has exec'd the impostor
        (tmp_path / "mongod.pid").write_text(str(squatter.pid))
        started = time.monotonic()
        with pytest.raises(ServerStartError, match=f"仍在运行（pid {squatter.pid}"):
            with local_servers(tmp_path, bin_dir=BIN_DIR):
                pass
        assert time.monotonic() - started < 10
    finally:
        squatter.kill()
        squatter.wait()


def test_a_pid_file_of_a_dead_process_is_cleared(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    process = _Process("mongod", tmp_path)
    process.pid_file.write_text(str(dead.pid))
    process.refuse_stale()
    assert not process.pid_file.exists()


def test_a_server_that_dies_while_starting_is_reported_with_its_log(tmp_path: Path) -> None:
    process = _Process("mongod", tmp_path)
    process.start(["sh", "-c", "echo 'cannot open data directory'; exit 3"])
    with pytest.raises(ServerStartError, match="退出码 3") as failed:
        _wait_until(lambda: False, process, "可以连接")
    assert "cannot open data directory" in str(failed.value)


def test_the_search_key_is_passed_by_environment_not_on_the_command_line(tmp_path: Path) -> None:
    key = "k3y-" + "x" * 28
    with local_meilisearch(tmp_path, bin_dir=BIN_DIR, port=free_port(), master_key=key) as url:
        pid = int((tmp_path / "meilisearch.pid").read_text())
        assert "meilisearch" in _command_line(pid)
        assert key not in _command_line(pid)  # `ps` shows command lines to every user
        environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"MEILI_MASTER_KEY={key}".encode() in environment
        assert meili_status(url, key=None) == 401, "the key is in force"
        assert meili_status(url, key=key) == 200


def meili_status(url: str, *, key: str | None) -> int:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    request = urllib.request.Request(f"{url}/indexes", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
