"""talk.dataflow."""
