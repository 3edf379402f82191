import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import biaskit

# CI machines are slow and shared: no per-example deadline, and shrinking stays bounded.
settings.register_profile(
    "biaskit", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("biaskit")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # CI sets this: the suite must exercise the installed package as client code does.
    if os.environ.get("BIASKIT_REQUIRE_INSTALLED") and "site-packages" not in biaskit.__file__:
        raise pytest.UsageError(
            f"biaskit is imported from {biaskit.__file__}, not from an installed package"
        )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout holding annotations/, docs/ and README.md."""
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (seeds, guides, third-party data)."""
    return SHARED
