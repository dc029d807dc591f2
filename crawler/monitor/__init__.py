"""What a run reports about itself: the run manifest, quality drift, progress lines, the report."""
