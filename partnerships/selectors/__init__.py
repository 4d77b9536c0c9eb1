"""Reads of the partnerships domain, one module per entity."""
