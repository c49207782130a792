"""Signals the rankings app sends for the layers above it, which it may not import."""

from django.dispatch import Signal

# Sent with `run` right after a provisional run's rows are written and committed (the site
# stores the year's dashboard figures with it: tracker.figures). A receiver's error
# propagates: the year stays dirty and its recompute is tried again.
run_written = Signal()
