"""talk: executable QA checklists and two-way sync for dataflow documents."""

__version__ = "0.1.0"
