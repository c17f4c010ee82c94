"""A compensated case about `oscar`, delivered through the workflow (cases' own fixtures)."""

from cases.tests.conftest import budget, make_case  # noqa: F401  (fixtures)
