"""Widgets of the exercise and replay screens."""
