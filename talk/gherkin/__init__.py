"""talk.gherkin."""
