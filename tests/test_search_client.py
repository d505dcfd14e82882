"""The one Meilisearch client of a process, shared by the worker threads that call it: a call
in one thread never changes the headers of a call in another."""

import threading
from typing import Any

from api.settings import Settings
from search.client import ThreadSafeHttp, make_client


def test_threads_sharing_the_client_never_mix_their_headers(settings: Settings) -> None:
    client = make_client(settings)
    assert isinstance(client.http, ThreadSafeHttp)
    assert isinstance(client.task_handler.http, ThreadSafeHttp)
    uid = f"{settings.mongodb_database}-threads"
    client.wait_for_task(client.create_index(uid).task_uid)
    errors: list[str] = []
    answers: list[Any] = []

    def calls(n: int) -> None:
        # searches (POST, with Content-Type) beside reads (GET, without), as searches meet
        # health checks and task polls in the API
        for i in range(150):
            try:
                if (i + n) % 2:
                    answers.append(client.multi_search([{"indexUid": uid, "q": "预算"}]))
                else:
                    client.get_version()
            except Exception as e:  # every failure is what the test counts
                errors.append(repr(e))

    try:
        threads = [threading.Thread(target=calls, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        client.wait_for_task(client.delete_index(uid).task_uid)
    assert errors == []
    assert len(answers) == 600 and all(a["results"][0]["hits"] == [] for a in answers)


def test_each_thread_keeps_its_own_headers(settings: Settings) -> None:
    http = make_client(settings).http
    assert http.headers["Accept-Encoding"] == "identity"
    http.headers["Content-Type"] = "application/json"
    seen: list[str | None] = []
    other = threading.Thread(target=lambda: seen.append(http.headers.get("Content-Type")))
    other.start()
    other.join()
    assert seen == [None] and http.headers["Content-Type"] == "application/json"
