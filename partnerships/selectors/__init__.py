"""Reads of the partnerships domain, one module per entity."""

from partnerships.selectors.organisations import (
    memberships_of,
    organisation_members,
    organisations_with_member_counts,
)

__all__ = ["memberships_of", "organisation_members", "organisations_with_member_counts"]
