"""Log lines carry the time, the level and the request's id (sent back as X-Request-ID)."""

from __future__ import annotations

import io
import logging
import logging.config
import re

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from pulih.middleware import RequestIdMiddleware


def test_a_log_line_has_time_level_and_the_request_id():
    stream = io.StringIO()
    config = settings.LOGGING
    handler = logging.StreamHandler(stream)
    handler.addFilter(
        logging.config.DictConfigurator(config).configure_filter(config["filters"]["request_id"])
    )
    formatter = config["formatters"]["line"]
    handler.setFormatter(logging.Formatter(formatter["format"], formatter["datefmt"]))
    logger = logging.getLogger("pulih.test.request")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.warning("served")
        return HttpResponse("ok")

    try:
        given = RequestFactory().get("/", HTTP_X_REQUEST_ID="abc12345-from-nginx")
        response = RequestIdMiddleware(view)(given)
        made = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id!"))
    finally:
        logger.removeHandler(handler)
    first, second = stream.getvalue().splitlines()
    assert re.match(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} WARNING \[abc12345-from-nginx\] "
        r"pulih\.test\.request: served$",
        first,
    )
    assert response["X-Request-ID"] == "abc12345-from-nginx"
    assert re.fullmatch(r"[0-9a-f]{32}", made["X-Request-ID"])  # a header it cannot trust
    assert f"[{made['X-Request-ID']}]" in second
