"""Benchmarks of the generator pipeline: `python -m benchmarks.bench` (`make bench`)."""
