"""The company's side of recognition (issue 12): the mentor profile form with the live
eligibility, and the recognition requests of a company (or of a school with a mandate).

Each view: works, bad input → a Dutch message and no 500, other tenant → 404, wrong role →
403, anonymous → login."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from learning.models import Opleiding
from organisations.models import Membership, Organisation, Vestiging
from recognition import services
from recognition.models import ExtractStatus, MentorProfile, Recognition, RecognitionStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 test"
DUTCH = {"HTTP_ACCEPT_LANGUAGE": "nl-BE"}


def user(email: str) -> User:
    return User.objects.get(email=email)


def vandenberghe() -> Organisation:
    return Organisation.objects.get(name="Metaalbouw Vandenberghe")


def daems() -> Organisation:
    return Organisation.objects.get(name="Koeltechniek Daems")


def school_a() -> Organisation:
    return Organisation.objects.get(name="Technisch Instituut Sint-Jozef")


def genk() -> Vestiging:
    return Vestiging.objects.get(vestigingsnummer="2234567125")


def new_mentor() -> User:
    """A mentor just invited by Vandenberghe: a member without a profile."""
    mentor = User.objects.create_user(email="nieuw@vandenberghe.test", full_name="Nieuwe Mentor")
    Membership.objects.create(user=mentor, organisation=vandenberghe())
    return mentor


def profile_url(mentor: User, company: Organisation | None = None) -> str:
    return f"/organisations/{(company or vandenberghe()).public_id}/mentors/{mentor.public_id}/profile/"


VALID_PROFILE = {
    "birth_date": "1985-05-01",
    "experience_years": "8",
    "extract_status": "clean",
    "introduction_session_on": "",
    "deepening_session_on": "",
}


# --- the mentor profile ----------------------------------------------------------------------


def test_the_coordinator_records_a_new_mentors_profile_and_sees_eligibility(
    client, demo_cast, login
):
    mentor = new_mentor()
    login("coord@vandenberghe.demo")
    response = client.get(profile_url(mentor), **DUTCH)
    assert response.status_code == 200
    assert [u.code for u in response.context["unmet"]] == ["profile"]
    assert "heeft nog geen mentorprofiel" in response.content.decode()

    issued = timezone.localdate() - timedelta(days=30)
    response = client.post(
        profile_url(mentor), {**VALID_PROFILE, "extract_issued_on": issued.isoformat()}
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.birth_date == date(1985, 5, 1)
    assert profile.experience_years == 8
    assert profile.extract_status == ExtractStatus.CLEAN
    assert profile.extract_checked_by == user("coord@vandenberghe.demo")
    assert profile.extract_checked_on == timezone.localdate()
    page = client.get(profile_url(mentor), **DUTCH)
    assert page.context["unmet"] == []
    assert 'data-testid="eligibility-status"' in page.content.decode()
    assert "Gecontroleerd door Nathalie Vandenberghe" in page.content.decode()


def test_the_page_lists_every_unmet_condition_in_dutch(client, demo_cast, login):
    mentor = new_mentor()
    services.mentor_profile_update(
        actor=user("coord@vandenberghe.demo"),
        mentor=mentor,
        data={"birth_date": timezone.localdate().replace(year=timezone.localdate().year - 24)},
    )
    login("coord@vandenberghe.demo")
    response = client.get(profile_url(mentor), **DUTCH)
    codes = [u.code for u in response.context["unmet"]]
    assert codes == ["age", "experience", "extract"]
    html = response.content.decode()
    assert "bewijs van vooropleiding" in html.lower()


def test_a_proof_upload_makes_a_24_year_old_eligible_and_is_served_privately(
    client, demo_cast, login
):
    mentor = new_mentor()
    today = timezone.localdate()
    login("coord@vandenberghe.demo")
    response = client.post(
        profile_url(mentor),
        {
            **VALID_PROFILE,
            "birth_date": today.replace(year=today.year - 24).isoformat(),
            "extract_issued_on": (today - timedelta(days=10)).isoformat(),
            "prior_education_proof": SimpleUploadedFile("diploma.pdf", PDF),
        },
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.prior_education_proof.name.endswith("/vooropleiding.pdf")
    assert client.get(profile_url(mentor)).context["unmet"] == []
    download = client.get(profile_url(mentor) + "vooropleiding/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    # The mentor downloads their own; a colleague does not; another company never sees it.
    client.force_login(mentor)
    assert client.get(profile_url(mentor) + "vooropleiding/").status_code == 200
    login("mentor2@vandenberghe.demo")
    assert client.get(profile_url(mentor) + "vooropleiding/").status_code == 403
    login("coord@daems.demo")
    assert client.get(profile_url(mentor) + "vooropleiding/").status_code == 404
    login("coord@vandenberghe.demo")
    assert client.get(profile_url(mentor) + "getuigschrift/").status_code == 404
    assert client.get(profile_url(mentor) + "onbekend/").status_code == 404


def test_bad_input_gives_dutch_errors_and_saves_nothing(client, demo_cast, login):
    mentor = new_mentor()
    login("coord@vandenberghe.demo")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        profile_url(mentor),
        {
            "birth_date": tomorrow,
            "experience_years": "-3",
            "extract_status": "bogus",
            "extract_issued_on": "31-02-2020",
            "introduction_session_on": tomorrow,
            "deepening_session_on": "\x00",
            "prior_education_proof": SimpleUploadedFile("diploma.pdf", b"MZ not a pdf"),
        },
        **DUTCH,
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {
        "birth_date",
        "experience_years",
        "extract_status",
        "extract_issued_on",
        "introduction_session_on",
        "prior_education_proof",
    }
    html = response.content.decode()
    assert "De geboortedatum ligt in de toekomst." in html
    assert "Laad een PDF-, JPEG- of PNG-bestand op." in html
    assert not MentorProfile.objects.filter(user=mentor).exists()


def test_an_extract_needs_its_issue_date(client, demo_cast, login):
    mentor = new_mentor()
    login("coord@vandenberghe.demo")
    response = client.post(profile_url(mentor), {**VALID_PROFILE, "extract_issued_on": ""})
    assert response.status_code == 400
    assert "extract_issued_on" in response.context["form"].errors


def test_a_mentor_reads_their_own_profile_only(client, demo_cast, login):
    mentor = user("mentor@vandenberghe.demo")
    login("mentor@vandenberghe.demo")
    response = client.get(profile_url(mentor))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'data-testid="mentor-profile-facts"' in response.content.decode()
    before = MentorProfile.objects.get(user=mentor).experience_years
    assert (
        client.post(profile_url(mentor), {**VALID_PROFILE, "experience_years": "1"}).status_code
        == 403
    )
    assert MentorProfile.objects.get(user=mentor).experience_years == before
    # A colleague mentor: 403 (same company); the company's directie (an administrator) edits.
    assert client.get(profile_url(user("mentor2@vandenberghe.demo"))).status_code == 403
    login("directie@vandenberghe.demo")
    assert client.get(profile_url(mentor)).context["form"] is not None


@pytest.mark.parametrize(
    "email",
    ["coord@daems.demo", "consulent@sector.demo", "leerling1@sintjozef.demo", "tb@sintjozef.demo"],
)
def test_outsiders_get_404(client, demo_cast, login, email):
    login(email)
    mentor = user("mentor@vandenberghe.demo")
    assert client.get(profile_url(mentor)).status_code == 404
    assert client.post(profile_url(mentor), VALID_PROFILE).status_code == 404


def test_a_mentor_of_another_company_is_not_reached_through_ones_own(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    assert client.get(profile_url(user("mentor@daems.demo"))).status_code == 404


def test_anonymous_and_wrong_method(client, demo_cast):
    url = profile_url(user("mentor@vandenberghe.demo"))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(user("coord@vandenberghe.demo"))
    assert client.put(url).status_code == 405


def test_the_company_overview_links_each_mentor_with_their_status(client, demo_cast, login):
    url = f"/organisations/{daems().public_id}/students/"
    login("coord@daems.demo")
    html = client.get(url, **DUTCH).content.decode()
    assert html.count('data-testid="mentor-profile-link"') == len(
        client.get(url).context["mentors"]
    )
    assert profile_url(user("mentor@daems.demo"), daems()) in html
    mentors = {m.email: m.unmet for m in client.get(url).context["mentors"]}
    assert mentors["mentor@daems.demo"] == []
    login("mentor@vandenberghe.demo")
    html = client.get(f"/organisations/{vandenberghe().public_id}/students/").content.decode()
    assert html.count('data-testid="mentor-profile-link"') == 1
    assert profile_url(user("mentor@vandenberghe.demo")) in html


# --- the requests ----------------------------------------------------------------------------


def requests_url(organisation: Organisation) -> str:
    return f"/organisations/{organisation.public_id}/recognitions/"


def create_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "vestiging": str(genk().pk),
        "opleiding": str(Opleiding.objects.get(code="mechanische-vormgeving").pk),
        "ondernemingsnummer": "0461.728.314",
        "vestigingsnummer": "2.234.567.125",
        "mentors": [str(user("mentor@vandenberghe.demo").pk)],
    }
    data.update(overrides)
    return data


def detail_url(recognition: Recognition, suffix: str = "") -> str:
    return f"/recognitions/requests/{recognition.public_id}/{suffix}"


def test_the_company_lists_its_requests(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    response = client.get(requests_url(vandenberghe()), **DUTCH)
    assert response.status_code == 200
    assert {r.opleiding.code for r in response.context["page"].object_list} == {
        "lassen-constructie",
        "lasser-monteerder",
    }
    html = response.content.decode()
    assert "Erkend" in html and "Geldig tot" in html
    assert response.context["may_file"]
    login("mentor@vandenberghe.demo")
    response = client.get(requests_url(vandenberghe()))
    assert response.status_code == 200 and not response.context["may_file"]
    for email in ("coord@daems.demo", "leerling1@sintjozef.demo", "consulent@sector.demo"):
        login(email)
        assert client.get(requests_url(vandenberghe())).status_code == 404, email


def test_file_edit_and_submit_a_request(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    create = requests_url(vandenberghe()) + "new/"
    assert client.get(create).status_code == 200
    response = client.post(create, create_data())
    recognition = Recognition.objects.get(opleiding__code="mechanische-vormgeving")
    assert response.status_code == 302 and response["Location"] == detail_url(recognition)
    assert recognition.status == RecognitionStatus.CONCEPT
    assert recognition.ondernemingsnummer == "0461728314"
    assert list(recognition.mentors.all()) == [user("mentor@vandenberghe.demo")]

    mentors = [user("mentor@vandenberghe.demo"), user("mentor2@vandenberghe.demo")]
    response = client.post(
        detail_url(recognition, "mentors/"), {"mentors": [m.pk for m in mentors]}
    )
    assert response.status_code == 302
    assert set(recognition.mentors.all()) == set(mentors)

    page = client.get(detail_url(recognition, "submit/"), **DUTCH)
    assert page.status_code == 200 and 'data-testid="consequences"' in page.content.decode()
    assert client.post(detail_url(recognition, "submit/")).status_code == 200  # not confirmed
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.CONCEPT
    response = client.post(detail_url(recognition, "submit/"), {"confirm": "yes"})
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.SUBMITTED
    assert recognition.sector_body.name == "Sectoraal Partnerschap Technologische Industrie"
    html = client.get(detail_url(recognition), **DUTCH).content.decode()
    assert "Ingediend" in html
    # Submitting twice: a message, no 500.
    again = client.post(detail_url(recognition, "submit/"), {"confirm": "yes"}, **DUTCH)
    assert again.status_code == 400


def test_submitting_without_a_mentor_is_refused_with_the_reason(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    client.post(requests_url(vandenberghe()) + "new/", create_data(mentors=[]))
    recognition = Recognition.objects.get(opleiding__code="mechanische-vormgeving")
    response = client.post(detail_url(recognition, "submit/"), {"confirm": "yes"}, **DUTCH)
    assert response.status_code == 400
    assert "Vermeld minstens één mentor." in response.content.decode()
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.CONCEPT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ondernemingsnummer": "0461.728.315"}, "ondernemingsnummer"),  # check digits
        ({"ondernemingsnummer": "0735.412.626"}, "ondernemingsnummer"),  # Daems' number
        ({"vestigingsnummer": "2345678249"}, "vestigingsnummer"),  # Daems' vestiging
        ({"vestigingsnummer": "abc"}, "vestigingsnummer"),
        ({"opleiding": "lassen-constructie"}, "opleiding"),  # not an id
        ({"vestiging": "2" * 30}, "vestiging"),
        ({"mentors": [str(2**70)]}, "mentors"),
    ],
)
def test_bad_request_input_gives_a_message_next_to_the_field(
    client, demo_cast, login, overrides, field
):
    login("coord@vandenberghe.demo")
    response = client.post(requests_url(vandenberghe()) + "new/", create_data(**overrides), **DUTCH)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Recognition.objects.filter(opleiding__code="mechanische-vormgeving").exists()


def test_a_second_open_request_for_the_same_opleiding_is_refused(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    assert client.post(requests_url(vandenberghe()) + "new/", create_data()).status_code == 302
    response = client.post(requests_url(vandenberghe()) + "new/", create_data(), **DUTCH)
    assert response.status_code == 400
    assert "heeft al een lopende aanvraag" in response.content.decode()


def test_who_may_file_and_manage(client, demo_cast, login):
    create = requests_url(vandenberghe()) + "new/"
    login("mentor@vandenberghe.demo")
    assert client.get(create).status_code == 403
    assert client.post(create, create_data()).status_code == 403
    for email in ("coord@daems.demo", "consulent@sector.demo", "leerling1@sintjozef.demo"):
        login(email)
        assert client.post(create, create_data()).status_code == 404, email
    assert not Recognition.objects.filter(opleiding__code="mechanische-vormgeving").exists()
    recognised = Recognition.objects.get(
        company=vandenberghe(), opleiding__code="lassen-constructie"
    )
    login("mentor@vandenberghe.demo")
    assert client.get(detail_url(recognised)).status_code == 200
    for suffix in ("mentors/", "submit/", "withdraw/", "appeal/"):
        assert client.post(detail_url(recognised, suffix), {"confirm": "yes"}).status_code == 403
    login("consulent@sector.demo")
    assert (
        client.post(
            detail_url(recognised, "withdraw/"), {"confirm": "yes", "reason": "x"}
        ).status_code
        == 403
    )
    login("coord@daems.demo")
    assert client.get(detail_url(recognised)).status_code == 404
    recognised.refresh_from_db()
    assert recognised.status == RecognitionStatus.RECOGNISED


def test_withdraw_asks_for_a_reason_and_says_what_it_does(client, demo_cast, login):
    login("coord@vandenberghe.demo")
    client.post(requests_url(vandenberghe()) + "new/", create_data())
    recognition = Recognition.objects.get(opleiding__code="mechanische-vormgeving")
    page = client.get(detail_url(recognition, "withdraw/"), **DUTCH)
    assert "De aanvraag stopt" in page.content.decode()
    response = client.post(
        detail_url(recognition, "withdraw/"), {"confirm": "yes", "reason": " "}, **DUTCH
    )
    assert response.status_code == 400
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.CONCEPT
    response = client.post(
        detail_url(recognition, "withdraw/"), {"confirm": "yes", "reason": "Geen plaats meer"}
    )
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.WITHDRAWN
    assert recognition.end_reason == "Geen plaats meer"


def _refused(days_ago: int) -> Recognition:
    coord = user("coord@vandenberghe.demo")
    recognition = services.recognition_create(
        actor=coord,
        company=vandenberghe(),
        vestiging=genk(),
        opleiding=Opleiding.objects.get(code="mechanische-vormgeving"),
        ondernemingsnummer="0461728314",
        vestigingsnummer="2234567125",
        mentors=[user("mentor@vandenberghe.demo")],
    )
    consultant = user("consulent@sector.demo")
    day = timezone.localdate() - timedelta(days=days_ago)
    services.recognition_submit(actor=coord, recognition=recognition, on=day)
    services.recognition_mark_complete(actor=consultant, recognition=recognition, on=day)
    services.recognition_decide(
        actor=consultant,
        recognition=recognition,
        recognised=False,
        reason="Geen lasuitrusting",
        on=day,
    )
    recognition.refresh_from_db()
    return recognition


def test_appeal_within_ten_days_of_a_refusal(client, demo_cast, login):
    recognition = _refused(days_ago=10)
    login("coord@vandenberghe.demo")
    detail = client.get(detail_url(recognition), **DUTCH).content.decode()
    assert "Geen lasuitrusting" in detail and 'data-testid="appeal"' in detail
    response = client.post(detail_url(recognition, "appeal/"), {"reason": ""}, **DUTCH)
    assert response.status_code == 400
    response = client.post(detail_url(recognition, "appeal/"), {"reason": "Uitrusting is er nu"})
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.APPEAL
    assert recognition.decision_due == timezone.localdate() + timedelta(days=14)


def test_an_appeal_after_ten_days_is_refused_with_a_message(client, demo_cast, login):
    recognition = _refused(days_ago=11)
    login("coord@vandenberghe.demo")
    assert 'data-testid="appeal"' not in client.get(detail_url(recognition)).content.decode()
    response = client.post(detail_url(recognition, "appeal/"), {"reason": "Te laat"}, **DUTCH)
    assert response.status_code == 400
    assert "Beroep is mogelijk tot" in response.content.decode()
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.REFUSED


# --- a school files with a mandate -----------------------------------------------------------


def _mandated_data() -> dict[str, object]:
    return {
        "vestiging": str(Vestiging.objects.get(vestigingsnummer="2345678249").pk),
        "opleiding": str(Opleiding.objects.get(code="mechanische-vormgeving").pk),
        "ondernemingsnummer": "0735412626",
        "vestigingsnummer": "2345678249",
        "mentors": [str(user("mentor@daems.demo").pk)],
        "mandate": SimpleUploadedFile("m.pdf", PDF),
        "sworn_statement": SimpleUploadedFile("v.png", b"\x89PNG\r\n\x1a\n...."),
    }


def test_a_school_files_for_a_partner_company_with_a_mandate(client, demo_cast, login):
    create = requests_url(school_a()) + "new/"
    login("coord@sintjozef.demo")
    picker = client.get(create)
    assert picker.status_code == 200
    assert {c.name for c in picker.context["form"].fields["company"].queryset} == {
        "Metaalbouw Vandenberghe",
        "Koeltechniek Daems",
    }
    url = f"{create}?company={daems().public_id}"
    assert client.get(url).status_code == 200
    # Without the mandate: refused next to the field.
    data = _mandated_data()
    del data["mandate"]
    response = client.post(url, data, **DUTCH)
    assert response.status_code == 400 and "mandate" in response.context["form"].errors
    data = {**_mandated_data(), "mandate": SimpleUploadedFile("m.pdf", b"<html>")}
    assert client.post(url, data).status_code == 400
    response = client.post(url, _mandated_data())
    recognition = Recognition.objects.get(opleiding__code="mechanische-vormgeving")
    assert response.status_code == 302
    assert recognition.filed_by_school == school_a()
    assert recognition.mandate.name.endswith("/machtiging.pdf")
    # The school lists what it filed; the files are served to who manages or decides.
    assert [r.pk for r in client.get(requests_url(school_a())).context["page"].object_list] == [
        recognition.pk
    ]
    file_url = detail_url(recognition, "files/machtiging/")
    assert client.get(file_url).status_code == 200
    login("coord@daems.demo")
    assert client.get(file_url).status_code == 200
    login("mentor@daems.demo")
    assert client.get(file_url).status_code == 403
    for email in ("directie@dering.demo", "coord@vandenberghe.demo", "consulent@sector.demo"):
        login(email)
        assert client.get(file_url).status_code == 404, email


def test_a_school_may_not_pick_a_company_outside_its_partnerships(client, demo_cast, login):
    outsider = Organisation.objects.create(
        kind="company", name="Bakkerij Lenaerts", ondernemingsnummer="0566988259"
    )
    login("coord@sintjozef.demo")
    response = client.get(f"{requests_url(school_a())}new/?company={outsider.public_id}", **DUTCH)
    assert response.status_code == 400
    response = client.get(f"{requests_url(school_a())}new/?company=not-a-uuid")
    assert response.status_code == 400
    login("lk@sintjozef.demo")  # a member, no administrator
    assert client.get(f"{requests_url(school_a())}new/").status_code == 403


def test_another_extract_is_a_new_check_and_clearing_it_clears_the_check(client, demo_cast, login):
    mentor = new_mentor()
    checker = user("directie@vandenberghe.demo")
    old = timezone.localdate() - timedelta(days=200)
    services.mentor_profile_update(
        actor=checker,
        mentor=mentor,
        data={"extract_status": "clean", "extract_issued_on": old},
    )
    login("coord@vandenberghe.demo")
    data = {**VALID_PROFILE, "extract_issued_on": old.isoformat()}
    assert client.post(profile_url(mentor), data).status_code == 302
    assert MentorProfile.objects.get(user=mentor).extract_checked_by == checker  # unchanged
    new = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert client.post(profile_url(mentor), {**data, "extract_issued_on": new}).status_code == 302
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.extract_checked_by == user("coord@vandenberghe.demo")
    assert profile.extract_checked_on == timezone.localdate()
    cleared = {**data, "extract_status": "", "extract_issued_on": ""}
    assert client.post(profile_url(mentor), cleared).status_code == 302
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.extract_checked_by is None and profile.extract_checked_on is None


def test_a_request_judges_its_mentors_against_itself_not_an_earlier_recognition(
    client, demo_cast, login
):
    """Patrick's extract suits his recognised request of two years ago, not a new one: the
    new request's page says so (as the consultant's does), while his profile stays eligible
    for the placements he guides now."""
    login("coord@vandenberghe.demo")
    client.post(requests_url(vandenberghe()) + "new/", create_data())
    recognition = Recognition.objects.get(opleiding__code="mechanische-vormgeving")
    mentor = user("mentor@vandenberghe.demo")
    html = client.get(detail_url(recognition), **DUTCH).content.decode()
    assert "Nog niet geschikt" in html
    assert "Het uittreksel uit het strafregister van Patrick Hermans" in html
    profile = client.get(profile_url(mentor), **DUTCH).content.decode()
    assert "Geschikt als mentor" in profile

    MentorProfile.objects.filter(user=mentor).update(
        extract_issued_on=timezone.localdate() - timedelta(days=10)
    )
    html = client.get(detail_url(recognition), **DUTCH).content.decode()
    assert "Nog niet geschikt" not in html and "Geschikt als mentor" in html
