"""Benchmarks: `make bench`. Figures are ratios against baselines measured in the same run."""
