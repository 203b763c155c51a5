"""talk.sync."""
