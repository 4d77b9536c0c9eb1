"""The leervergoeding table is edited by the platform's administrators (decision 0018)."""

from django.contrib import admin

from contracts.models import LeervergoedingRate, MinimumIncome


@admin.register(MinimumIncome)
class MinimumIncomeAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "monthly_amount", "source", "source_note"]
    list_filter = ["source"]


@admin.register(LeervergoedingRate)
class LeervergoedingRateAdmin(admin.ModelAdmin):
    list_display = ["category", "valid_from", "percentage", "source", "source_note"]
    list_filter = ["category", "source"]
