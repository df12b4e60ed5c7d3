"""Stage 0: the systematic literature review (nero.slr)."""
