"""The lint endpoint of a real gunicorn (gthread workers) under hostile bodies: every lookup made
meanwhile is answered, and every body gets its answer: a report, or a refusal saying why."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from glossary.limits import MAX_SOURCE_BYTES
from glossary.store import embedded_store
from support import gunicorn

BELOW_LIMIT = MAX_SOURCE_BYTES - 1024
# (body, Content-Type, the status it must get); a body over the limit is refused from its Content-Length
# before it is read (tests/test_authoring_api.py), which a client still sending it sees as a broken pipe.
HOSTILE_BODIES = [
    (b'<rfc docName="x"><!DOCTYPE' + b"[]" * 34, "application/xml", 200),
    (b"<rfc " * 40_000, "text/plain", 200),
    (b"<" * BELOW_LIMIT, "application/xml", 200),
    (b"Class 2 and C2 devices " * (BELOW_LIMIT // 23), "text/plain", 400),  # beyond the work budget
    (b"C2\n" * (BELOW_LIMIT // 3), "text/markdown", 400),
    (b"Class 1 devices", "application/x-www-form-urlencoded", 415),
]
PROBE_TIMEOUT = 10  # seconds; a probe answers in milliseconds unless a worker is stalled


def post(server: str, body: bytes, content_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(server + "/api/v1/lint", data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_hostile_lint_bodies_never_keep_lookups_waiting(tmp_path):
    probes: list[int | str] = []
    done = threading.Event()

    def probe_until_done(server: str) -> None:
        while not done.is_set():
            try:
                with urllib.request.urlopen(server + "/api/v1/terms/c2", timeout=PROBE_TIMEOUT) as response:
                    probes.append(response.status)
            except Exception as error:  # a timeout or a dropped connection: what must not happen
                probes.append(repr(error))
            time.sleep(0.02)

    with gunicorn(embedded_store(), tmp_path / "cache", workers=2, threads=4) as server:
        prober = threading.Thread(target=probe_until_done, args=(server,))
        prober.start()
        try:
            with ThreadPoolExecutor(max_workers=4) as pool:
                answers = list(pool.map(lambda case: post(server, case[0], case[1]), HOSTILE_BODIES))
        finally:
            done.set()
            prober.join()
    assert [status for status, _ in answers] == [expected for _, _, expected in HOSTILE_BODIES]
    for (status, answer), (body, _, _) in zip(answers, HOSTILE_BODIES):
        if status == 200:
            assert answer["format"] in ("rfcxml", "text"), body[:40]
        else:
            assert answer["detail"], answer  # problem+json saying why
    assert len(probes) >= 10 and set(probes) == {200}, [p for p in probes if p != 200][:3]
