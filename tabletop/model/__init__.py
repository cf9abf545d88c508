"""Pydantic models of the format and YAML loading with line numbers."""
