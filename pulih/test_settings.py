"""The test suite's settings: production's, without the developer's .env, and with a throw-away
SECRET_KEY put in the environment first (with DEBUG off, settings refuse to load without a
real key; the subprocesses tests start inherit it). Everything else is in conftest.py."""

import os

os.environ.setdefault("ENV_FILE", os.devnull)  # a developer's .env never leaks into a test
os.environ.setdefault("SECRET_KEY", "pulih-test-suite-only-" + "q7Xz3Kp9Lm2Rv8Tw" * 3)

from pulih.settings import *  # noqa: E402, F403
