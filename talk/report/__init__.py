"""talk.report."""
