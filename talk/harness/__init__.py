"""The checklist harness: checklist items, scenario context, outcomes and pytest wiring."""
