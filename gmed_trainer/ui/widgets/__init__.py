"""Reusable widgets: the card, its options, grades, findings."""
