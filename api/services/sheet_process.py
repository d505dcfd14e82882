"""Reading a file from outside in a process of its own, so the API never waits on it.

An uploaded workbook is untrusted: parsing its XML is CPU work that holds the GIL, and a
crafted file (a zip bomb, millions of shared strings) can be made to take as long and as
much memory as its author likes. ``read_rows`` hands the file to a child process (from a
fork server that has openpyxl loaded, so starting one costs milliseconds), which reads it
within ``SheetLimits`` and stores the rows in a temporary file in batches; the event loop only
waits on a thread. A refusal comes back as ``FileRejected`` before any row reaches the
importer, so nothing is written; a child that runs past its time is killed. When the child
ends, all the memory the parse took goes with it.
"""

import io
import logging
import multiprocessing
import os
import pickle
import tempfile
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO

from anyio import to_thread

from api import language
from api.language import Language, say
from api.services.sheets import (
    SPOOL_BATCH,
    FileRejected,
    Rows,
    SheetLimits,
    open_rows,
    refused,
)

log = logging.getLogger("jiandu.uploads")

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["__main__", "api.services.sheet_process"])
REAP_SECONDS = 10
"""How long a killed reading process is waited for: it is a daemon, and an upload's answer
never waits on its end."""
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _slot(processes: int) -> threading.BoundedSemaphore:
    """The process-wide gate of how many files are read at once."""
    with _slots_lock:
        return _slots.setdefault(processes, threading.BoundedSemaphore(processes))


def _spool(
    source: bytes | str,
    name: str,
    limits: SheetLimits,
    spool: str,
    reply: Connection,
    speaking: Language,
) -> None:
    """In the child: read the file and store its numbered rows in ``spool``; send the header,
    or the refusal (in ``speaking``, the request's language: a context variable does not
    cross into another process)."""
    language.current.set(speaking)
    try:
        stream: BinaryIO | Path = io.BytesIO(source) if isinstance(source, bytes) else Path(source)
        header, rows = open_rows(stream, name, limits)
        with open(spool, "wb") as out:
            batch: list[tuple[int, tuple[Any, ...]]] = []
            for item in rows:
                batch.append(item)
                if len(batch) == SPOOL_BATCH:
                    pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
                    if out.tell() > limits.unzipped_bytes:
                        raise refused(
                            say(
                                f"文件内容超过 {limits.unzipped_bytes // 1_000_000} MB",
                                "The file's content is larger than "
                                f"{limits.unzipped_bytes // 1_000_000} MB",
                            )
                        )
            if batch:
                pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
        reply.send(("read", header))
    except FileRejected as e:
        reply.send(("refused", e.errors))
    except Exception as e:  # whatever a crafted file makes a reader raise
        reply.send(("failed", f"{type(e).__name__}: {e}"))
    finally:
        reply.close()


def _read_in_child(
    source: BinaryIO | Path, name: str, limits: SheetLimits
) -> tuple[list[str], BinaryIO]:
    """In a worker thread (which runs in the request's context, language included): run the
    child, wait for its answer at most ``limits.seconds``; the header and the stored rows,
    opened."""
    payload = str(source) if isinstance(source, Path) else source.read()
    handle, spool = tempfile.mkstemp(prefix="jiandu-rows-")
    os.close(handle)
    try:
        slot = _slot(limits.processes)
        if not slot.acquire(timeout=limits.seconds):
            raise refused(
                say(
                    f"同时读取的文件过多，{limits.seconds:g} 秒内未能开始读取，请稍后再试",
                    f"Too many files are being read at once: reading could not start within "
                    f"{limits.seconds:g} seconds; try again later",
                )
            )
        try:
            kind, value = _run(payload, name, limits, spool, language.current.get())
        finally:
            slot.release()
        if kind == "refused":
            raise FileRejected(value)
        if kind == "failed":
            log.warning("unreadable upload %s: %s", name, value)
            raise refused(
                say(
                    f"无法读取文件 {Path(name).name}：格式有误",
                    f"Cannot read the file {Path(name).name}: its format is wrong",
                )
            )
        return value, open(spool, "rb")  # closed when the rows are read
    finally:
        os.unlink(spool)


def _run(
    source: bytes | str, name: str, limits: SheetLimits, spool: str, speaking: Language
) -> Any:
    answer, reply = _context.Pipe(duplex=False)
    child = _context.Process(
        target=_spool, args=(source, name, limits, spool, reply, speaking), daemon=True
    )
    child.start()
    reply.close()
    try:
        if not answer.poll(limits.seconds):
            raise refused(
                say(
                    f"读取文件超过 {limits.seconds:g} 秒，已停止",
                    f"Reading the file took more than {limits.seconds:g} seconds and was stopped",
                )
            )
        try:
            return answer.recv()
        except EOFError:
            raise refused(
                say(
                    "读取文件时处理进程异常退出（文件可能过大）",
                    "The process reading the file ended abnormally (the file may be too large)",
                )
            ) from None
    finally:
        answer.close()
        if child.is_alive():
            child.kill()
        child.join(REAP_SECONDS)
        if child.exitcode is None:
            log.warning(
                "the process reading %s did not end %gs after it was killed", name, REAP_SECONDS
            )


class _Spooled:
    """The rows a child stored, batch by batch; the file (already unlinked) is closed at the
    end or when the importer lets go of the rows."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._batch: Iterator[tuple[int, tuple[Any, ...]]] = iter(())

    def __iter__(self) -> "_Spooled":
        return self

    def __next__(self) -> tuple[int, tuple[Any, ...]]:
        while True:
            item = next(self._batch, None)
            if item is not None:
                return item
            if self._stream.closed:
                raise StopIteration
            try:
                self._batch = iter(pickle.load(self._stream))
            except EOFError:
                self._stream.close()
                raise StopIteration from None

    def __del__(self) -> None:
        self._stream.close()


async def read_rows(
    source: BinaryIO | Path, name: str, limits: SheetLimits
) -> tuple[list[str], Rows]:
    """The header and the rows of a file from outside (a workbook's first sheet or a CSV
    file, by ``name``'s suffix), read in a child process within ``limits``;
    ``FileRejected`` when the file is beyond them or unreadable, its reasons in the
    request's language (handed to the child, which has no request)."""
    header, stream = await to_thread.run_sync(_read_in_child, source, name, limits)
    return header, _Spooled(stream)
