"""Flemish date formats: Django's Dutch ones are those of the Netherlands ("1-9-2026").

Only what differs is defined here; Django falls back to its ``nl`` formats for the rest.
"""

SHORT_DATE_FORMAT = "j/n/Y"  # 1/9/2026
SHORT_DATETIME_FORMAT = "j/n/Y H:i"  # 1/9/2026 08:30
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 01/09/2026
    "%d/%m/%y",  # 01/09/26
    "%d-%m-%Y",  # 01-09-2026
    "%d.%m.%Y",  # 01.09.2026
    "%Y-%m-%d",  # 2026-09-01 (what a date input sends)
]
