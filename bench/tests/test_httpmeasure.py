"""bench.httpmeasure times a page and its floor in turn, each on its own session."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.httpmeasure import MeasureError, time_in_turn


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread worker
    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.seen.append((self.path, self.headers.get("Cookie", "")))
        body = b"gone" if self.path == "/broken/" else f"page {self.path}".encode()
        self.send_response(500 if self.path == "/broken/" else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    _Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.seen
    httpd.shutdown()
    httpd.server_close()


def test_the_page_and_its_floor_are_requested_one_for_one(server):
    base, seen = server
    page, floor = time_in_turn(
        base, "/page/", "/floor/", 4, {"sessionid": "reader"}, {"sessionid": "head"}, warmup=2
    )
    assert [path for path, _cookie in seen] == ["/page/", "/floor/"] * 6
    assert set(seen) == {("/page/", "sessionid=reader"), ("/floor/", "sessionid=head")}
    assert (page["n"], floor["n"]) == (4, 4)  # the warm-ups are not counted
    assert (page["bytes"], floor["bytes"]) == (len(b"page /page/"), len(b"page /floor/"))
    assert len(page["samples_ms"]) == 4 and page["p50_ms"] > 0


def test_an_answer_other_than_200_stops_the_measurement(server):
    base, _seen = server
    with pytest.raises(MeasureError, match="answered 500"):
        time_in_turn(base, "/page/", "/broken/", 2, warmup=0)
