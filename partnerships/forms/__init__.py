from partnerships.forms.organisations import OrganisationForm

__all__ = ["OrganisationForm"]
