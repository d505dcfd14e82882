"""The local servers: checked binaries, data kept across starts, stale and crashed processes
reported instead of hanging."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pymongo import MongoClient

from api.devservers.binaries import BinaryError, install_meilisearch, meilisearch_path
from api.devservers.local import (
    ServerStartError,
    _command_line,
    _Process,
    _wait_until,
    local_servers,
)
from tests.conftest import ROOT

BIN_DIR = ROOT / ".jiandu" / "bin"


def test_a_binary_with_the_wrong_checksum_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BinaryError, match="checksum mismatch") as refused:
        install_meilisearch(tmp_path, expected_sha256="0" * 64)
    assert "expected sha256 " + "0" * 64 in str(refused.value)
    assert not meilisearch_path(tmp_path).exists()
    assert [p.name for p in tmp_path.iterdir()] == []


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
        with pytest.raises(ServerStartError, match=f"still running \\(pid {squatter.pid}\\)"):
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
    with pytest.raises(ServerStartError, match="exited with code 3") as failed:
        _wait_until(lambda: False, process, "reachable")
    assert "cannot open data directory" in str(failed.value)
