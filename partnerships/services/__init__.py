"""Writes of the partnerships domain, one module per entity; every write goes through here."""

from partnerships.services.organisations import membership_ensure, organisation_update

__all__ = ["membership_ensure", "organisation_update"]
