"""Issue 8, forms and lists: the error summary, required markers, duplicates on their field,
the trajects list's filter form, the CSV template and re-upload, the placement form's defaults
and mentor load. The browser side (focus, scrolling, requests, Back) is in
tests/e2e/test_forms_journey.py."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from organisations.models import Organisation
from organisations.services import membership_ensure
from partnerships.models import (
    Partnership,
    Placement,
    SchoolClass,
    Student,
    StudentImport,
    StudentImportStatus,
    TeamRole,
    Traject,
    Weekday,
)
from partnerships.selectors.mentors import mentor_loads, mentor_max_students
from partnerships.services.partnerships import team_member_add
from partnerships.services.trajects import student_enrol

pytestmark = pytest.mark.django_db

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
COMPANY_X = "Metaalbouw Vandenberghe"


def english(client) -> None:
    client.cookies["duaal_language"] = "en"


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def traject_of(first_name: str) -> Traject:
    return Traject.objects.select_related("partnership").get(student__first_name=first_name)


class Elements(HTMLParser):
    """Start tags as (tag, attributes) with the text up to the next tag, enough to check
    attributes without a DOM library."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def by_id(self, element_id: str) -> dict[str, str]:
        found = [attrs for _tag, attrs in self.tags if attrs.get("id") == element_id]
        assert len(found) == 1, (element_id, found)
        return found[0]

    def with_class(self, name: str) -> list[tuple[str, dict[str, str]]]:
        return [(t, a) for t, a in self.tags if name in a.get("class", "").split()]


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def summary_links(html: str) -> list[str]:
    return re.findall(r'<a href="#([^"]+)"', summary_of(html))


# --- the error summary and the fields ---------------------------------------------------------


def test_failed_invitation_has_a_summary_linking_every_failing_field(client, demo_cast, login):
    login("coord@sintjozef.demo")
    english(client)
    partnership = a1()
    response = client.post(
        f"/partnerships/{partnership.public_id}/invitations/new/",
        {"invite-email": "not an address", "invite-full_name": "", "invite-role": "mentor"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = summary_of(html)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "Something went wrong — check these fields" in summary
    failing = ["id_invite-email", "id_invite-full_name", "id_invite-organisation"]
    assert summary_links(html) == failing
    elements = Elements(html)
    for field_id in failing:
        widget = elements.by_id(field_id)
        assert widget["aria-invalid"] == "true"
        assert f"{field_id}_error" in widget["aria-describedby"].split()
        assert "field__error" in elements.by_id(f"{field_id}_error")["class"]
    # The form posts to its summary's fragment: refused, the page opens on the summary.
    form = elements.by_id("invitation-form")
    assert form["action"].endswith("/invitations/new/#invite-error-summary")


def test_the_summary_speaks_dutch(client, demo_cast, login):
    login("coord@sintjozef.demo")
    response = client.post(f"/partnerships/{a1().public_id}/invitations/new/", {})
    assert "Er ging iets mis — controleer deze velden" in summary_of(response.content.decode())


def test_non_field_errors_are_in_the_summary(client, demo_cast):
    english(client)
    response = client.post(
        "/accounts/login/", {"username": "coord@sintjozef.demo", "password": "wrong"}
    )
    summary = summary_of(response.content.decode())
    assert "<li>" in summary and "<a href" not in summary  # a sentence, no field to link


def test_a_valid_page_has_no_summary(client, demo_cast, login):
    login("coord@sintjozef.demo")
    html = client.get(f"/partnerships/{a1().public_id}/").content.decode()
    assert 'class="error-summary"' not in html


def test_required_fields_are_marked_and_optional_ones_not(client, demo_cast, login):
    login("coord@sintjozef.demo")
    english(client)
    html = client.get("/partnerships/new/").content.decode()
    for name in ("name", "school", "opleiding", "school_year"):
        label = re.search(rf'<label for="id_{name}">(.*?)</label>', html, re.S)
        assert label and '<span class="field__required">required</span>' in label.group(1), name
        assert Elements(html).by_id(f"id_{name}").get("required") == ""
    optional = re.search(r'<label for="id_training_centre">(.*?)</label>', html, re.S)
    assert optional and "field__required" not in optional.group(1)
    assert "required" not in Elements(html).by_id("id_training_centre")
    # The checkbox list is a fieldset: marked in its legend.
    assert re.search(r"<legend><strong>[^<]+</strong> <span class=\"field__required\">", html)


def test_partnership_page_forms_post_to_their_own_fragment(client, demo_cast, login):
    login("coord@sintjozef.demo")
    elements = Elements(client.get(f"/partnerships/{a1().public_id}/").content.decode())
    for form_id, prefix in (
        ("company-add-form", "company"),
        ("team-member-form", "member"),
        ("invitation-form", "invite"),
    ):
        assert elements.by_id(form_id)["action"].endswith(f"#{prefix}-error-summary")


def test_success_lands_on_the_changed_section(client, demo_cast, login):
    login("coord@sintjozef.demo")
    partnership = a1()
    response = client.post(
        f"/partnerships/{partnership.public_id}/invitations/new/",
        {
            "invite-email": "nieuw@vandenberghe.demo",
            "invite-full_name": "Nieuwe Mentor",
            "invite-role": "mentor",
            "invite-organisation": Organisation.objects.get(name=COMPANY_X).pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/{partnership.public_id}/#invitations"


# --- duplicates on their field ----------------------------------------------------------------


def _field_error(html: str, field_id: str) -> str:
    elements = Elements(html)
    assert elements.by_id(field_id)["aria-invalid"] == "true"
    match = re.search(rf'<div class="field__error" id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, field_id
    return match.group(1)


def test_duplicate_invitation_is_shown_on_the_email_field(client, demo_cast, login):
    login("coord@sintjozef.demo")
    english(client)
    response = client.post(
        f"/partnerships/{a1().public_id}/invitations/new/",
        {
            "invite-email": "mentor@vandenberghe.demo",  # already mentor in A1
            "invite-full_name": "Tom",
            "invite-role": "mentor",
            "invite-organisation": Organisation.objects.get(name=COMPANY_X).pk,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already has this role" in _field_error(html, "id_invite-email")
    assert summary_links(html) == ["id_invite-email"]


def test_duplicate_team_member_is_shown_on_the_person_field(client, demo_cast, login):
    login("coord@sintjozef.demo")
    english(client)
    coordinator = User.objects.get(email="tb@sintjozef.demo")
    response = client.post(
        f"/partnerships/{a1().public_id}/team/add/",
        {
            "member-user": coordinator.pk,
            "member-role": TeamRole.TRAJECTBEGELEIDER,
            "member-organisation": Organisation.objects.get(name=SINT_JOZEF).pk,
        },
    )
    assert response.status_code == 400
    assert "already" in _field_error(response.content.decode(), "id_member-user")


def test_duplicate_partnership_name_is_shown_on_the_name_field(client, demo_cast, login):
    login("coord@sintjozef.demo")
    english(client)
    partnership = a1()
    vestiging = partnership.companies.first().vestiging
    response = client.post(
        "/partnerships/new/",
        {
            "name": partnership.name,
            "school": partnership.school_id,
            "opleiding": partnership.opleiding_id,
            "school_year": partnership.school_year,
            "vestigingen": [vestiging.pk],
        },
    )
    assert response.status_code == 400
    assert "already has a partnership with this name" in _field_error(
        response.content.decode(), "id_name"
    )


def test_duplicate_stamnummer_is_shown_on_the_stamnummer_field(client, demo_cast, login):
    login("coord@sintjozef.demo")
    english(client)
    school = Organisation.objects.get(name=SINT_JOZEF)
    response = client.post(
        f"/organisations/{school.public_id}/students/new/",
        {
            "first_name": "Noah",
            "last_name": "Claes",
            "birth_date": "2010-02-03",
            "school_class": SchoolClass.objects.get(school=school, name="6 LAS").pk,
            "stamnummer": "SJ-2024-017",  # Lotte's
            "parent_relation": "parent",
        },
    )
    assert response.status_code == 400
    assert "SJ-2024-017" in _field_error(response.content.decode(), "id_stamnummer")


# --- the trajects list ------------------------------------------------------------------------


def test_traject_filters_ask_once_per_search_and_render_bound_to_the_url(client, demo_cast, login):
    login("tb@sintjozef.demo")
    html = client.get("/trajects/", {"status": "running", "q": "lot"}).content.decode()
    tag = re.search(r'<form[^>]*data-testid="traject-filters"[^>]*>', html, re.S).group(0)
    trigger = re.search(r'hx-trigger="([^"]*)"', tag).group(1)
    # Enter submits; typing waits; selects ask on change. No bare "change" (the search box's
    # change on Enter) and no "search" event (Chrome fires it on Enter too).
    assert trigger == (
        "submit, input changed delay:300ms target:(input[type=search]), change target:select"
    )
    assert 'hx-history="false"' in tag and 'hx-push-url="true"' in tag
    assert "data-filter-form" in tag
    # The controls show the URL's filters, and the summary counts them.
    assert re.search(r'<option value="running" selected>', html)
    assert 'value="lot"' in html
    assert re.search(r"<span data-filter-count-number>1</span>", html)
    assert "<details" in html and "data-filters" in html


def test_traject_filter_count_is_hidden_without_filters(client, demo_cast, login):
    login("tb@sintjozef.demo")
    html = client.get("/trajects/").content.decode()
    assert re.search(r"data-filter-count hidden><span data-filter-count-number>0<", html)


# --- CSV import -------------------------------------------------------------------------------


def _import_url(school: Organisation) -> str:
    return f"/organisations/{school.public_id}/students/import/"


def test_template_downloads_and_imports_cleanly_when_filled_in(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    school = Organisation.objects.get(name=SINT_JOZEF)
    login("coord@sintjozef.demo")
    response = client.get(_import_url(school) + "template.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "voornaam;achternaam;geboortedatum;klas;stamnummer;e-mail"
    assert len(lines) == 3 and lines[2] == ""  # header, one example, final line end
    # Filled in as a school would: the example row kept, one student added.
    first_class = SchoolClass.objects.filter(school=school).order_by("name").first()
    filled = data + f"Wout;Vermeulen;02/05/2009;{first_class.name};SJ-2026-777;\r\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _import_url(school),
            {"file": _upload(filled), "partnership": ""},
        )
    job = StudentImport.objects.get(school=school)
    assert response.status_code == 302
    assert job.status == StudentImportStatus.VALID and job.total_rows == 2
    english(client)
    response = client.post(response["Location"])
    assert response.status_code == 302
    assert set(
        Student.objects.filter(school=school, last_name__in=["Peeters", "Vermeulen"]).values_list(
            "first_name", flat=True
        )
    ) >= {"Lotte", "Wout"}
    # The result is said once (the page, not a message as well).
    page = client.get(response["Location"]).content.decode()
    assert page.count("2 students were imported.") == 1


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("leerlingen.csv", data, content_type="text/csv")


def test_failed_check_offers_the_upload_again_for_the_same_partnership(
    client, demo_cast, login, django_capture_on_commit_callbacks
):
    school = Organisation.objects.get(name=SINT_JOZEF)
    partnership = a1()
    login("coord@sintjozef.demo")
    header = "voornaam;achternaam;geboortedatum;klas\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _import_url(school),
            {
                "file": _upload((header + "Wout;Vermeulen;02/05/2009;GEEN KLAS\n").encode()),
                "partnership": partnership.pk,
            },
        )
    job = StudentImport.objects.get(school=school)
    assert job.status == StudentImportStatus.INVALID
    html = client.get(response["Location"]).content.decode()
    elements = Elements(html)
    form = [a for t, a in elements.tags if a.get("data-testid") == "reupload-form"]
    assert form and form[0]["action"] == _import_url(school)
    assert form[0]["enctype"] == "multipart/form-data"
    assert re.search(rf'<option value="{partnership.pk}" selected>', html)
    # One step: the corrected file from that form, for the same partnership.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _import_url(school),
            {
                "file": _upload((header + "Wout;Vermeulen;02/05/2009;6 LAS\n").encode()),
                "partnership": partnership.pk,
            },
        )
    again = StudentImport.objects.exclude(pk=job.pk).get(school=school)
    assert response.status_code == 302 and again.status == StudentImportStatus.VALID
    assert again.partnership == partnership
    valid_page = client.get(response["Location"]).content.decode()
    assert "reupload-form" not in valid_page


def test_import_page_offers_the_template_and_a_contained_example(client, demo_cast, login):
    school = Organisation.objects.get(name=SINT_JOZEF)
    login("coord@sintjozef.demo")
    html = client.get(_import_url(school)).content.decode()
    assert f'href="{_import_url(school)}template.csv"' in html
    assert re.search(r'<pre class="card example" tabindex="0" role="region"', html)


# --- the placement form -----------------------------------------------------------------------


def test_weekdays_default_to_the_partnerships_most_recent_placement(client, demo_cast, login):
    pattern = {
        "monday": "company",
        "tuesday": "company",
        "wednesday": "school",
        "thursday": "training_centre",
        "friday": "company",
    }
    # Mohamed's placement becomes the partnership's most recent one, with its own pattern.
    newest = traject_of("Mohamed").placements.get()
    Placement.objects.filter(pk=newest.pk).update(
        created_at=timezone.now() + timezone.timedelta(days=1), **pattern
    )
    # A new student of A1, without a placement of their own.
    school = Organisation.objects.get(name=SINT_JOZEF)
    _student, traject = student_enrol(
        actor=User.objects.get(email="coord@sintjozef.demo"),
        school=school,
        student_data={
            "first_name": "Wout",
            "last_name": "Vermeulen",
            "birth_date": date(2009, 5, 2),
            "school_class": SchoolClass.objects.get(school=school, name="6 LAS"),
        },
        partnership=a1(),
    )
    login("coord@sintjozef.demo")
    response = client.get(f"/trajects/{traject.public_id}/placements/new/")
    assert response.status_code == 200
    form = response.context["form"]
    assert {day.value: form[day.value].value() for day in Weekday} == pattern
    html = response.content.decode()
    assert re.search(
        r'<select name="thursday"[^>]*>.*?<option value="training_centre" selected>', html, re.S
    )


def test_weekdays_prefer_the_trajects_own_latest_placement(client, demo_cast, login):
    lotte = traject_of("Lotte")
    own = lotte.placements.order_by("-created_at").first()
    expected = {day.value: getattr(own, day.value) for day in Weekday}
    login("coord@sintjozef.demo")
    form = client.get(f"/trajects/{lotte.public_id}/placements/new/").context["form"]
    assert {day.value: form[day.value].value() for day in Weekday} == expected


def test_mentor_options_show_load_and_limit(client, demo_cast, login):
    lotte = traject_of("Lotte")
    login("coord@sintjozef.demo")
    english(client)
    html = client.get(f"/trajects/{lotte.public_id}/placements/new/").content.decode()
    company = Organisation.objects.get(name=COMPANY_X)
    limit = mentor_max_students(company=company)
    loads = mentor_loads(on=timezone.localdate())
    for email in ("mentor@vandenberghe.demo", "mentor2@vandenberghe.demo"):
        mentor = User.objects.get(email=email)
        load = loads.get(mentor.pk, 0)
        assert f"{mentor.full_name} ({email}) — {load} of {limit} students" in html, email
    # The mentors of the demo guide at least one student today.
    assert loads.get(User.objects.get(email="mentor2@vandenberghe.demo").pk, 0) >= 1


def test_mentor_options_in_dutch(client, demo_cast, login):
    lotte = traject_of("Lotte")
    login("coord@sintjozef.demo")
    html = client.get(f"/trajects/{lotte.public_id}/placements/new/").content.decode()
    assert re.search(r"— \d+ van \d+ leerlingen", html)


def test_mentor_options_take_one_query_whatever_the_number_of_mentors(client, demo_cast, login):
    lotte = traject_of("Lotte")
    partnership = lotte.partnership
    company = Organisation.objects.get(name=COMPANY_X)
    coordinator = User.objects.get(email="coord@vandenberghe.demo")
    login("coord@sintjozef.demo")
    url = f"/trajects/{lotte.public_id}/placements/new/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for i in range(4):
        user = User.objects.create_user(email=f"extra{i}@vandenberghe.demo", full_name=f"Extra {i}")
        membership_ensure(user=user, organisation=company)
        team_member_add(
            actor=coordinator,
            partnership=partnership,
            user=user,
            role=TeamRole.MENTOR,
            organisation=company,
        )
    after = count()
    assert after == before
    assert "Extra 3 (extra3@vandenberghe.demo)" in client.get(url).content.decode()


def test_other_filtered_lists_fold_their_filters_and_ask_once(client, demo_cast, login):
    login("coord@sintjozef.demo")
    reminders = client.get("/notifications/reminders/", {"status": "sent"}).content.decode()
    tag = re.search(r'<form[^>]*data-testid="reminder-filters"[^>]*>', reminders, re.S).group(0)
    assert 'hx-trigger="submit, change target:select"' in tag
    assert "data-filter-form" in tag and 'hx-history="false"' in tag
    assert re.search(r"<span data-filter-count-number>1</span>", reminders)
    partnerships = client.get("/partnerships/", {"year": a1().school_year}).content.decode()
    assert 'data-testid="filters"' in partnerships
    assert re.search(r"<span data-filter-count-number>1</span>", partnerships)
