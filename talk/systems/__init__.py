"""talk.systems."""
