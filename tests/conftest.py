"""Shared test configuration: Hypothesis profiles (``HYPOTHESIS_PROFILE=dev|quick|ci|fuzz``)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("quick", max_examples=25, deadline=None)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
