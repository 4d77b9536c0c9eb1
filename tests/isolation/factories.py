"""Small builders the isolation suite needs for objects the demo cast does not contain."""

from __future__ import annotations


def make_import_job(*, model, school, user):
    """A checked, valid import job of ``school`` with one row (not yet imported)."""
    return model.objects.create(
        school=school,
        created_by=user,
        file_name="leerlingen.csv",
        status="valid",
        total_rows=1,
        processed_rows=1,
        rows=[
            {
                "row": 2,
                "values": {
                    "first_name": "Import",
                    "last_name": "Leerling",
                    "birth_date": "01/01/2009",
                    "school_class": "6 LAS",
                    "stamnummer": "",
                    "email": "",
                },
                "errors": [],
            }
        ],
    )
