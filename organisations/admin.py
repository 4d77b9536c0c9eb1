from typing import Any

from django.contrib import admin

from organisations.forms import OrganisationForm
from organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "instellingsnummer", "ondernemingsnummer_display"]
    list_filter = ["kind"]
    search_fields = ["name", "ondernemingsnummer", "instellingsnummer"]
    inlines = [MembershipInline]

    def get_form(self, request, obj=None, change=False, **kwargs: Any):  # noqa: ANN001, ANN201
        if obj is not None:
            kwargs["form"] = OrganisationForm
        return super().get_form(request, obj, change=change, **kwargs)
