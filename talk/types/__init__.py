"""talk.types."""
