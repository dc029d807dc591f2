"""`python -m pipelines.extraction.evaluation DATASET_DIR ...`: the evaluation plus ablations."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
