// Benchmarks: filled in per area; see `make bench`.
