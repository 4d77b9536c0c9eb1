"""Every page, opened in Dutch by the people who can open it, contains no English.

The URL lists are the classification of tests/isolation/test_url_classification.py, so a new
page is checked as soon as it is classified. Each page is read the way a person meets it: the
visible text and the texts a screen reader announces (aria-label, title, placeholder, alt, the
labels of buttons and options). Anything marked ``lang="en"`` (the "English" button of the
language switcher) is meant to be English and skipped.

Two nets catch English:
- the English source of every message of our catalogue and of Django's auth and form messages
  whose Dutch translation differs (a missing or fuzzy translation, a string rendered outside
  the active language);
- English words that never occur in Dutch copy ("the", "your", "please", "select" …), which
  catch text typed into a template without gettext.
Forms are also submitted empty, so Django's validation messages are read too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.isolation.test_url_classification import AUTHENTICATED, PUBLIC, TENANT_SCOPED

PERSONAS = (
    "coord@sintjozef.demo",
    "tb@sintjozef.demo",
    "lk@sintjozef.demo",
    "directie@sintjozef.demo",
    "mentor@vandenberghe.demo",
    "coord@vandenberghe.demo",
    "oc@octl.demo",
    "consulent@sector.demo",
    "leerling1@sintjozef.demo",
    "ouder1@sintjozef.demo",
)
# Pages that act on GET-less endpoints or return files; everything else is an HTML page.
NOT_PAGES = {
    "notifications:unread_counter",
    "notifications:notification_read_all",
    "organisations:organisation_switch",
    "agenda:feed_create",
    "agenda:feed_revoke",
    "documents:document_download",
    "learning:bedrijfsfiche_photo",
    "learning:bedrijfsfiche_photo_edit",
    "learning:bedrijfsfiche_photo_move",
    "learning:version_export",
    "contracts:checklist_proof",
    "recognition:mentor_profile_file",
    "recognition:company_request_file",
}
FORM_PAGES = {
    "contracts:checklist",
    "evaluation:softskills",
    "evaluation:day_rate",
    "evaluation:session_list",
    "evaluation:session_details",
    "evaluation:session_column",
    "evaluation:session_werkpunt",
    "partnerships:partnership_create",
    "partnerships:team_member_add",
    "partnerships:company_add",
    "partnerships:traject_create",
    "partnerships:invitation_create",
    "partnerships:student_create",
    "partnerships:student_contact_add",
    "partnerships:placement_create",
    "partnerships:placement_edit",
    "partnerships:traject_edit",
    "organisations:organisation_edit",
    "accounts:password_change",
    "learning:plan_adopt",
    "learning:plan_comment_add",
    "learning:plan_cell",
    "learning:period_list",
    "learning:period_edit",
    "learning:offer_edit",
    "learning:traject_plan_cell",
    "learning:bedrijfsfiche_create",
    "learning:bedrijfsfiche_edit",
    "learning:bedrijfsfiche_photo_add",
    "learning:set_create",
    "learning:version_publish",
    "learning:theme_add",
    "learning:theme_edit",
    "learning:leerfiche_add",
    "learning:leerfiche_edit",
    "learning:item_add",
    "learning:item_edit",
    "learning:criterion_add",
    "learning:criterion_edit",
    "learning:set_import",
    "learning:set_import_draft",
    "evaluation:checkin",
    "contracts:contract_edit",
    "contracts:contract_register",
    "contracts:contract_suspend",
    "contracts:contract_end",
    "recognition:mentor_profile",
    "recognition:company_request_create",
    "recognition:company_request_mentors",
    "recognition:company_request_withdraw",
    "recognition:company_request_appeal",
    "recognition:consultant_visit_plan",
    "recognition:consultant_decide",
    "recognition:consultant_appeal",
    "recognition:programmatie_create",
    "recognition:partner_listing",
    "recognition:programmatie_step",
    "dashboards:klassenraad",
}
# Words that have no place in Dutch copy. Whole words, case-insensitive.
ENGLISH_WORDS = (
    "the",
    "and",
    "you",
    "your",
    "with",
    "please",
    "select",
    "choose",
    "save",
    "cancel",
    "delete",
    "remove",
    "search",
    "submit",
    "previous",
    "next",
    "required",
    "field",
    "enter",
    "option",
    "invalid",
    "yes",
    "page",
    "today",
    "week of",
)
ENGLISH_WORD_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b", re.I)
ANNOUNCED_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
SKIPPED_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Reader(HTMLParser):
    """Collects what a person reads or hears; skips scripts and anything marked English."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it skipped?

    def _skipping(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = tag in SKIPPED_ELEMENTS or (values.get("lang") or "").startswith("en")
        if not (skipped or self._skipping()):
            for name in ANNOUNCED_ATTRIBUTES:
                if values.get(name):
                    self.texts.append(values[name] or "")
            if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
                self.texts.append(values.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self._stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.texts.append(data)


def read_page(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    return " \n ".join(" ".join(text.split()) for text in reader.texts)


def _catalogue_english() -> list[str]:
    """English sources whose Dutch translation differs, reduced to their literal parts."""
    from django.utils.translation import trans_real

    sources: set[str] = set()
    catalogs = [Path(settings.BASE_DIR) / "locale/nl_BE/LC_MESSAGES/django.po"]
    for po in catalogs:
        sources.update(_msgids(po.read_text(encoding="utf-8")))
    with translation.override("nl-be"):
        catalog = trans_real.translation("nl-be")
        phrases = []
        for source in sources:
            if catalog.gettext(source) == source:
                continue
            for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}", source):
                part = " ".join(part.split()).strip(" .,:;!?()—-\"'")
                # Whole phrases only: single words ("Team", "Status") are often the same
                # word in both languages.
                if len(part.split()) >= 3:
                    phrases.append(part)
    return sorted(set(phrases))


def _msgids(po_text: str) -> list[str]:
    ids = []
    for block in re.finditer(r'^msgid ((?:".*"\n)+)', po_text, re.M):
        text = "".join(re.findall(r'"(.*)"', block.group(1)))
        text = text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if text:
            ids.append(text)
    return ids


# Django's own messages people meet in our forms (auth, fields, validators).
DJANGO_ENGLISH = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Your password",
    "Your old password",
    "The two password fields",
    "Please enter a correct",
    "Select an option",
)


def english_in(text: str, phrases: list[str]) -> list[str]:
    found = [phrase for phrase in phrases if phrase in text]
    found += [
        f"word «{m.group(0)}» in «{_around(text, m)}»" for m in ENGLISH_WORD_RE.finditer(text)
    ]
    return found


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")


@pytest.fixture(scope="module")
def english_phrases() -> list[str]:
    return _catalogue_english() + list(DJANGO_ENGLISH)


def _check(client, url: str, who: str, english_phrases: list[str], problems: list[str]) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl-BE")
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    for found in english_in(read_page(response.content.decode()), english_phrases):
        problems.append(f"{who} GET {url}: {found}")


def _check_post(
    client, url: str, who: str, english_phrases: list[str], problems: list[str]
) -> None:
    response = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="nl-BE")
    if response.status_code not in {200, 400}:
        return
    for found in english_in(read_page(response.content.decode()), english_phrases):
        problems.append(f"{who} POST {url}: {found}")


def test_the_reader_sees_text_and_announced_names_but_not_english_marked_parts():
    html = (
        '<p>Hallo <b>wereld</b></p><button lang="en">English</button>'
        '<a aria-label="Wijzig Screening">R</a><script>var the = 1;</script>'
        '<input type="submit" value="Bewaren"><img alt="logo" src="x.svg">'
    )
    text = read_page(html)
    assert "Hallo" in text and "wereld" in text and "Wijzig Screening" in text
    assert "Bewaren" in text and "logo" in text
    assert "English" not in text and "var the" not in text
    assert english_in("Kies een optie", []) == []
    assert english_in("Please select the option", []) != []


def test_public_pages_are_dutch(client, db, english_phrases):
    problems: list[str] = []
    for name in sorted(PUBLIC):
        try:
            url = reverse(name)
        except Exception:  # patterns with arguments (tokens) are checked by their own tests
            continue
        if name == "accounts:logout":
            continue
        _check(client, url, "anonymous", english_phrases, problems)
    _check_post(client, reverse("accounts:login"), "anonymous", english_phrases, problems)
    _check_post(client, reverse("accounts:password_reset"), "anonymous", english_phrases, problems)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("email", PERSONAS)
def test_every_page_a_person_opens_is_dutch(client, tenant_objects, login, email, english_phrases):
    login(email)
    problems: list[str] = []
    for name in sorted(AUTHENTICATED - NOT_PAGES):
        url = reverse(name)
        _check(client, url, email, english_phrases, problems)
        if name in FORM_PAGES:
            _check_post(client, url, email, english_phrases, problems)
    for name, scoped in sorted(TENANT_SCOPED.items()):
        if name in NOT_PAGES or email not in scoped.insiders:
            continue
        url = scoped.build()
        _check(client, url, email, english_phrases, problems)
        if name in FORM_PAGES:
            _check_post(client, url, email, english_phrases, problems)
    assert problems == [], "\n".join(problems)
