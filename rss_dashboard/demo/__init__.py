"""The demo institution (`manage.py seed_demo`, `make run`, the benchmarks): what callers use."""

from rss_dashboard.demo.builder import DemoResult, already_seeded, seed_demo
from rss_dashboard.demo.names import DEMO_LEARNER_PHONE, DEMO_PASSWORD

__all__ = ["DEMO_LEARNER_PHONE", "DEMO_PASSWORD", "DemoResult", "already_seeded", "seed_demo"]
