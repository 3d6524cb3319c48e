"""Benchmark-only settings: the app's settings plus the bare baseline view's URL.

Used by bench/bench_submit.py through DJANGO_SETTINGS_MODULE=bench.settings; production
never imports it.
"""

from skm_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
