"""Item pipelines (each one job) and the pure extraction layer they call."""
