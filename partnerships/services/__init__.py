"""Writes of the partnerships domain, one module per entity; every write goes through here."""
