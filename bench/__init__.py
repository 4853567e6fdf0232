"""Benchmarks that report figures (never pass/fail): run ``.venv/bin/python bench/run.py`` (``make bench``)."""
