"""Django's own messages, translated again in our catalogue.

Django's Dutch catalogue addresses people formally ("Uw wachtwoord …"), misses a few strings
(Django 6's empty choice "- Select an option -" is English on a Dutch page) and abbreviates
months without the Flemish full stop ("dec" instead of "dec."). Our catalogue (LOCALE_PATHS)
is consulted before Django's, so listing the message ids here puts them in
``locale/*/django.po`` with our wording. Nothing imports this module at run time; it exists
for ``makemessages``.

The ids must stay byte-identical to Django's; tests/test_translations.py checks that each
one is still a message Django uses.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

MESSAGES = (
    # django/db/models/fields/__init__.py: the empty choice of every select.
    gettext_noop("- Select an option -"),
    # django/contrib/auth: formal "u" in Django's Dutch.
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
    # django/forms: missing in Django's Dutch.
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
)
PLURAL_MESSAGES = (
    # Django 6 changed this id; its Dutch catalogue still has the old one (English shown).
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
)
# The date filter's "N" format: Flemish abbreviations end in a full stop ("2 dec.").
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
