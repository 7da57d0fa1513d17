"""Benchmarks of factgold's scoring against its peers (not a timed test: run by hand)."""
