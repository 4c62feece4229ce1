"""Benchmarks: each bench_<topic>.py reports ratios against a baseline measured in the same run."""
