"""The test suite's settings: production's, without the developer's .env, with a throw-away
SECRET_KEY put in the environment first (settings refuse to load with DEBUG off and no real key; subprocesses the tests start
inherit it). Everything else a test needs differently is set in conftest.py."""

import os

os.environ.setdefault("ENV_FILE", os.devnull)  # a developer's .env never leaks into a test
os.environ.setdefault("SECRET_KEY", "pulih-test-suite-only-" + "q7Xz3Kp9Lm2Rv8Tw" * 3)

from pulih.settings import *  # noqa: E402, F403
