"""CPU per survey submission in one process: the survey API against the floor, both through
Django's WSGI handler with the bench's settings (production middleware, DEBUG off, throttles
off), without gunicorn, wrk or the network. It is what `bench/submit_rate.py` measures over
HTTP with everything but the app taken out, cheap and repeatable on a shared machine: the
first figure to look at when the survey's share of the floor moves.

`python -m bench.submit_cpu` with DATABASE_URL naming a migrated database that holds the unit
(`--unit`, default bpmp-kalteng) with officers and active service types (`manage.py
demo_data`, or `python -m bench.submit_rate --step setup`). It creates fresh service records
(as the HTTP run does), POSTs the HTTP run's two bodies to each URL (one answer in FLAG_EVERY
rates U1 poor) in alternating rounds, and prints the median CPU time (process time) per
request of each and the floor's share; `--queries` prints the statements of one plain and one
poor answer instead. Every answer must be 201 and store its row.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time

from .submit_rate import FLAG_EVERY, FLOOR_PATH, STANDALONE_UNIT, SURVEY_PATH

BENCH_ENV = {"SURVEY_RATE": "off", "HTTPS": "0", "LOG_LEVEL": "ERROR"}
PLAIN = (
    b'{"answers": {"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, '
    b'"U8": 3, "U9": 4}, "comment": ""}'
)
POOR = (
    b'{"answers": {"U1": 2, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4, '
    b'"U8": 3, "U9": 4}, "comment": "Petugas kurang ramah."}'
)


def _environ(path: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class Poster:
    """POSTs the HTTP run's bodies to a URL of a WSGI application, counting the statuses."""

    def __init__(self, application):
        self.application = application
        self.statuses: dict[str, int] = {}

    def _start_response(self, status, headers, exc_info=None):
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def post(self, path: str, body: bytes) -> None:
        result = self.application(_environ(path, body), self._start_response)
        try:
            b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()

    def cpu_ms(self, prefix: str, tokens: list[str]) -> float:
        """CPU milliseconds per request over one answer per token."""
        started = time.process_time()
        for i, token in enumerate(tokens, start=1):
            self.post(f"{prefix}{token}/", POOR if i % FLAG_EVERY == 0 else PLAIN)
        return (time.process_time() - started) * 1000 / len(tokens)


def _tokens(unit_code: str, count: int) -> list[str]:
    import tempfile

    from .submit_rate import step_prepare

    with tempfile.NamedTemporaryFile("r", suffix=".txt") as f:
        step_prepare(unit_code, count, f.name)
        return f.read().split()


def measure(unit_code: str, requests: int = 2000, rounds: int = 10, warmup: int = 25) -> dict:
    """Median CPU ms per request of the survey API and of the floor over `rounds` alternating
    rounds of requests // rounds answers each (after `warmup` answers to each)."""
    from django.core.handlers.wsgi import WSGIHandler

    from . import floor as benchfloor

    per = max(1, requests // rounds)
    tokens = _tokens(unit_code, 2 * (warmup + per * rounds))
    poster = Poster(WSGIHandler())
    floor_before = benchfloor.count_rows()
    take = iter(tokens)
    for prefix in (SURVEY_PATH, FLOOR_PATH):
        for _ in range(warmup):
            poster.post(f"{prefix}{next(take)}/", PLAIN)
    survey, floor = [], []
    for _ in range(rounds):
        survey.append(poster.cpu_ms(SURVEY_PATH, [next(take) for _ in range(per)]))
        floor.append(poster.cpu_ms(FLOOR_PATH, [next(take) for _ in range(per)]))
    answered = _answered(tokens)
    survey_ms, floor_ms = statistics.median(survey), statistics.median(floor)
    return {
        "requests_each": per * rounds,
        "rounds": rounds,
        "survey_ms": round(survey_ms, 3),
        "floor_ms": round(floor_ms, 3),
        "floor_share": round(floor_ms / survey_ms, 3),
        "survey_rounds_ms": [round(v, 3) for v in survey],
        "floor_rounds_ms": [round(v, 3) for v in floor],
        "statuses": dict(sorted(poster.statuses.items())),
        "survey_rows": answered,
        "floor_rows": benchfloor.count_rows() - floor_before,
    }


def _answered(tokens: list[str]) -> int:
    from surveys.models import SurveyResponse

    return sum(
        SurveyResponse.objects.filter(service_record__survey_token__in=tokens[i : i + 500]).count()
        for i in range(0, len(tokens), 500)
    )


def queries(unit_code: str) -> dict:
    """The statements of one plain and one poor answer through the survey API."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    poster = Poster(WSGIHandler())
    out = {}
    bodies = {"plain": PLAIN, "poor": POOR}
    for (name, body), token in zip(bodies.items(), _tokens(unit_code, 2), strict=True):
        sent: list[str] = []

        # The statements as sent (with their placeholders): Django's query log cannot
        # render a statement a server-binding cursor sent (pulih.lib.prepared), only None.
        def record(execute, sql, params, many, context, sent=sent):
            sent.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            poster.post(f"{SURVEY_PATH}{token}/", body)
        out[name] = sent
    out["statuses"] = poster.statuses
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.submit_cpu", description=__doc__)
    parser.add_argument("--unit", default=STANDALONE_UNIT)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # As the HTTP run's server has them (bench/pulih_db.py: django_env).
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from . import floor as benchfloor

    benchfloor.create_table()
    if args.queries:
        print(json.dumps(queries(args.unit), indent=1))
        return 0
    result = measure(args.unit, args.requests, args.rounds)
    print(
        f"CPU per request: survey API {result['survey_ms']} ms, floor {result['floor_ms']} ms "
        f"(the floor is {result['floor_share']:.0%} of the survey's); "
        f"{result['requests_each']} answers each, medians of {result['rounds']} rounds"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
