"""Bedrijfsfiches: versions (a published one is immutable, a new draft copies fields and photo
rows), the photo checks (real images only, re-encoded, no metadata), who reads and who writes
(per role of the demo cast), the photo's serving headers, and the PDF."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from duaal.models import AuditEntry
from learning import bedrijfsfiche_access, images
from learning.demo.bedrijfsfiches import seed_bedrijfsfiches
from learning.models import (
    Bedrijfsfiche,
    BedrijfsfichePhoto,
    BedrijfsficheVersion,
    Leerfiche,
    LeerficheItem,
    Opleidingsplan,
    VersionStatus,
)
from learning.services import bedrijfsfiches as services
from organisations.models import Organisation, OrganisationKind
from partnerships import permissions
from partnerships.models import PartnershipCompany, Traject
from tests.learning.bedrijfsfiche_helpers import a1, adopt_plan, image_bytes

pytestmark = pytest.mark.django_db

LK, MENTOR = "lk@sintjozef.demo", "mentor@vandenberghe.demo"


@pytest.fixture
def plan(demo_cast):
    return adopt_plan()


@pytest.fixture
def demo_fiches(plan):
    seed_bedrijfsfiches()
    fiches = {f.leerfiche_key: f for f in Bedrijfsfiche.objects.filter(partnership=a1())}
    assert set(fiches) == {"geintegreerde-lasopdracht", "veilig-lassen"}
    return fiches


def _published(demo_fiches) -> BedrijfsficheVersion:
    return demo_fiches["geintegreerde-lasopdracht"].versions.get()


def _draft(demo_fiches) -> BedrijfsficheVersion:
    return demo_fiches["veilig-lassen"].versions.get()


def _vestiging():
    return PartnershipCompany.objects.get(partnership=a1()).vestiging


def _fresh_draft(plan, demo_cast) -> BedrijfsficheVersion:
    leerfiche = (
        Leerfiche.objects.filter(version=plan)
        .exclude(key__in=["geintegreerde-lasopdracht", "veilig-lassen"])
        .first()
    )
    return services.create(
        actor=demo_cast[LK], partnership=a1(), vestiging=_vestiging(), leerfiche=leerfiche
    )


# --- versions ---------------------------------------------------------------------------------


def test_create_needs_an_adopted_plan(demo_cast):
    Opleidingsplan.objects.filter(partnership=a1()).delete()
    before = Bedrijfsfiche.objects.count()  # the demo's own, if any
    leerfiche = Leerfiche.objects.first()
    with pytest.raises(ValidationError) as error:
        services.create(
            actor=demo_cast[LK], partnership=a1(), vestiging=_vestiging(), leerfiche=leerfiche
        )
    assert error.value.code == "no_plan"
    assert Bedrijfsfiche.objects.count() == before


def test_create_takes_the_leerfiche_title_and_refuses_foreign_leerfiches_and_doubles(
    plan, demo_cast
):
    draft = _fresh_draft(plan, demo_cast)
    assert draft.status == VersionStatus.DRAFT and draft.number == 1
    assert draft.title == draft.leerfiche.title
    entry = AuditEntry.objects.get(
        action="bedrijfsfiche.create", object_id=str(draft.bedrijfsfiche.pk)
    )
    assert entry.partnership_id == a1().pk and entry.actor_id == demo_cast[LK].pk
    with pytest.raises(ValidationError) as error:  # the same one again
        services.create(
            actor=demo_cast[LK], partnership=a1(), vestiging=_vestiging(), leerfiche=draft.leerfiche
        )
    assert error.value.code == "exists"
    from learning.models import Opleiding
    from tests.learning.factories import make_set_version

    other = make_set_version(
        owner=Organisation.objects.create(kind=OrganisationKind.SECTOR_BODY, name="Andere sector"),
        opleiding=Opleiding.objects.get(code="lassen-constructie"),
        name="Andere set",
    )
    with pytest.raises(ValidationError) as error:
        services.create(
            actor=demo_cast[LK],
            partnership=a1(),
            vestiging=_vestiging(),
            leerfiche=other.leerfiches.first(),
        )
    assert error.value.code == "leerfiche"


def test_a_published_version_is_immutable_and_a_new_draft_copies_fields_and_photos(
    demo_fiches, demo_cast, private_storage
):
    published = _published(demo_fiches)
    assert published.is_published and published.photos.count() == 1
    mentor = demo_cast[MENTOR]
    with pytest.raises(services.BedrijfsficheLocked):
        services.update(actor=mentor, version=published, instructies="Anders")
    with pytest.raises(services.BedrijfsficheLocked):
        services.publish(actor=mentor, version=published)
    with pytest.raises(services.BedrijfsficheLocked):
        services.photo_add(actor=mentor, version=published, upload=image_bytes())
    photo = published.photos.get()
    for change in (
        lambda: services.photo_caption(actor=mentor, photo=photo, caption="x"),
        lambda: services.photo_remove(actor=mentor, photo=photo),
        lambda: services.photo_move(actor=mentor, photo=photo, up=False),
    ):
        with pytest.raises(services.BedrijfsficheLocked):
            change()
    # A stale instance cannot slip a change through either.
    stale = BedrijfsficheVersion.objects.get(pk=published.pk)
    stale.status = VersionStatus.DRAFT
    with pytest.raises(services.BedrijfsficheLocked):
        services.editable(stale)

    draft = services.start_draft(actor=mentor, bedrijfsfiche=published.bedrijfsfiche)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    for name in services.CONTENT_FIELDS:
        assert getattr(draft, name) == getattr(published, name)
    copied = draft.photos.get()
    assert copied.pk != photo.pk and copied.image.name == photo.image.name  # the file is shared
    assert services.start_draft(actor=mentor, bedrijfsfiche=published.bedrijfsfiche) == draft

    # Editing the draft leaves the published version as it was; removing the copied photo
    # keeps the file, which the published version still shows.
    services.update(actor=mentor, version=draft, instructies="Nieuwe instructies")
    services.photo_remove(actor=mentor, photo=copied)
    published.refresh_from_db()
    assert published.instructies != "Nieuwe instructies"
    assert published.photos.count() == 1
    assert (private_storage / photo.image.name).exists()

    services.publish(actor=mentor, version=draft)
    assert (
        BedrijfsficheVersion.objects.filter(
            bedrijfsfiche=published.bedrijfsfiche, status=VersionStatus.PUBLISHED
        ).count()
        == 2
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "bedrijfsfiche.update",
        "bedrijfsfiche.publish",
        "bedrijfsfiche.draft",
        "bedrijfsfiche.photo_add",
        "bedrijfsfiche.photo_remove",
    } <= actions


def test_photos_are_captioned_reordered_and_removed_in_a_draft(plan, demo_cast, private_storage):
    draft = _fresh_draft(plan, demo_cast)
    mentor = demo_cast[MENTOR]
    first = services.photo_add(actor=mentor, version=draft, upload=image_bytes(), caption="een")
    second = services.photo_add(actor=mentor, version=draft, upload=image_bytes("PNG"))
    services.photo_caption(actor=mentor, photo=second, caption="twee")
    services.photo_move(actor=mentor, photo=second, up=True)
    assert list(draft.photos.values_list("caption", flat=True)) == ["twee", "een"]
    services.photo_move(actor=mentor, photo=second, up=True)  # already first: nothing happens
    assert list(draft.photos.values_list("caption", flat=True)) == ["twee", "een"]
    path = private_storage / first.image.name
    assert path.exists()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_remove(actor=mentor, photo=first)
    assert not path.exists()  # no other version refers to it
    assert list(draft.photos.values_list("caption", flat=True)) == ["twee"]


def test_publish_needs_instructions_or_steps(plan, demo_cast):
    draft = _fresh_draft(plan, demo_cast)
    with pytest.raises(ValidationError) as error:
        services.publish(actor=demo_cast[MENTOR], version=draft)
    assert error.value.code == "empty"


# --- photo checks -----------------------------------------------------------------------------


def _gps_jpeg() -> bytes:
    image = Image.new("RGB", (300, 200), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 57.0, 30.0)
    gps[3], gps[4] = "E", (5.0, 30.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    reopened = Image.open(io.BytesIO(data))
    assert reopened.getexif().get_ifd(0x8825)  # the upload does carry GPS data
    return data


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted_and_re_encoded_as_jpeg(fmt):
    clean = images.clean_image(SimpleUploadedFile("foto.bin", image_bytes(fmt, (3000, 1500))))
    image = Image.open(io.BytesIO(clean.content))
    assert image.format == "JPEG"
    assert (clean.width, clean.height) == image.size == (2000, 1000)  # scaled down
    assert image.getpixel((0, 0)) in {
        (200, 40, 40),
        (201, 40, 40),
        (200, 39, 40),
        (199, 40, 40),
    } or (abs(image.getpixel((0, 0))[0] - 200) < 6)


def test_transparency_is_flattened_on_white():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    clean = Image.open(io.BytesIO(images.clean_image(out.getvalue()).content))
    assert all(channel > 245 for channel in clean.getpixel((10, 10)))


def test_exif_gps_is_stripped_and_the_orientation_applied():
    clean = images.clean_image(SimpleUploadedFile("gps.jpg", _gps_jpeg()))
    image = Image.open(io.BytesIO(clean.content))
    assert image.size == (200, 300)  # turned upright from the EXIF orientation
    assert not image.getexif()  # no EXIF at all, so no GPS
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
    assert b"Telefoonmerk" not in clean.content and b"GPS" not in clean.content


def _svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _gif() -> bytes:
    frames = [Image.new("P", (10, 10), i) for i in range(2)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def _animated_webp() -> bytes:
    frames = [Image.new("RGB", (10, 10), (i * 100, 0, 0)) for i in range(2)]
    out = io.BytesIO()
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:])
    return out.getvalue()


def _bomb() -> bytes:
    """A tiny PNG that declares 20 000 × 20 000 pixels (400 megapixels)."""
    image = Image.new("1", (20_000, 20_000))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


REFUSED = {
    "text named .jpg": (b"Dit is geen foto maar tekst.\n" * 10, "not_an_image"),
    "svg": (_svg(), "not_an_image"),
    "pdf named .jpg": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "not_an_image"),
    "gif": (None, "format"),
    "animated webp": (None, "animated"),
    "bomb": (None, "too_many_pixels"),
    "empty": (b"", "empty"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_anything_but_a_still_jpeg_png_or_webp_is_refused_in_dutch(case, plan, demo_cast):
    data, code = REFUSED[case]
    if data is None:
        data = {"gif": _gif, "animated webp": _animated_webp, "bomb": _bomb}[case]()
    assert len(data) < 1_000_000  # the bomb is small on disk
    with pytest.raises(ValidationError) as error:
        images.clean_image(SimpleUploadedFile("foto.jpg", data, content_type="image/jpeg"))
    assert error.value.code == code
    from django.utils import translation

    with translation.override("nl-be"):
        message = " ".join(error.value.messages)
    assert any(word in message for word in ("foto", "bestand", "Foto", "Bestand")), message
    # Through the service: nothing stored, no row.
    draft = _fresh_draft(plan, demo_cast)
    with pytest.raises(ValidationError):
        services.photo_add(actor=demo_cast[MENTOR], version=draft, upload=data)
    assert not BedrijfsfichePhoto.objects.filter(version=draft).exists()


def test_an_oversized_upload_is_refused_before_it_is_read(settings):
    big = SimpleUploadedFile("groot.jpg", b"\xff\xd8" + b"0" * (images.MAX_UPLOAD_BYTES + 10))
    with pytest.raises(ValidationError) as error:
        images.clean_image(big)
    assert error.value.code == "too_large"


def test_a_refused_upload_through_the_page_saves_nothing(
    demo_fiches, client, login, private_storage
):
    login(MENTOR)
    draft = _draft(demo_fiches)
    files_before = sorted(p.name for p in private_storage.rglob("*") if p.is_file())
    response = client.post(
        f"/bedrijfsfiches/{draft.public_id}/photos/add/",
        {"image": SimpleUploadedFile("foto.jpg", _svg(), content_type="image/jpeg")},
        HTTP_ACCEPT_LANGUAGE="nl-BE",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit bestand is geen foto" in page and "field__error" in page
    assert not draft.photos.exists()
    assert sorted(p.name for p in private_storage.rglob("*") if p.is_file()) == files_before


def test_an_upload_through_the_page_is_stored_privately_without_gps(
    demo_fiches, client, login, private_storage
):
    login(MENTOR)
    draft = _draft(demo_fiches)
    response = client.post(
        f"/bedrijfsfiches/{draft.public_id}/photos/add/",
        {
            "image": SimpleUploadedFile("IMG_0001.jpg", _gps_jpeg(), content_type="image/jpeg"),
            "caption": "Lasplaats",
        },
    )
    assert response.status_code == 302
    photo = draft.photos.get()
    assert "IMG_0001" not in photo.image.name and photo.image.name.startswith("bedrijfsfiches/")
    stored = (private_storage / photo.image.name).read_bytes()
    assert not Image.open(io.BytesIO(stored)).getexif()
    # No public URL leads to the file: only the permission-checked view serves it.
    assert client.get(f"/{photo.image.name}").status_code == 404
    assert client.get(f"/media/{photo.image.name}").status_code == 404
    served = b"".join(client.get(f"/bedrijfsfiches/photos/{photo.public_id}/").streaming_content)
    assert served == stored and b"GPS" not in served


# --- who reads, who writes --------------------------------------------------------------------

TEAM_A1 = {
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    LK,
    "directie@sintjozef.demo",
    MENTOR,
    "mentor2@vandenberghe.demo",
    "coord@vandenberghe.demo",
    "directie@vandenberghe.demo",
    "oc@octl.demo",
}
FAMILY_AT_VANDENBERGHE = {
    "leerling1@sintjozef.demo",
    "leerling2@sintjozef.demo",
    "ouder1@sintjozef.demo",
    "leerling4@sintjozef.demo",
    "ouder2@sintjozef.demo",
}
# PREPARE_LESSONS: R leerkracht, mentor, training centre; A coördinators school and company.
EDITORS = {
    LK,
    MENTOR,
    "mentor2@vandenberghe.demo",
    "coord@sintjozef.demo",
    "coord@vandenberghe.demo",
    "oc@octl.demo",
}


def test_who_reads_drafts_and_published_versions(demo_fiches, demo_cast):
    published, draft = _published(demo_fiches), _draft(demo_fiches)
    for email, user in demo_cast.items():
        visible = set(bedrijfsfiche_access.bedrijfsfiche_versions_visible_to(user=user))
        if email in TEAM_A1:
            assert visible >= {published, draft}, email
        elif email in FAMILY_AT_VANDENBERGHE:
            assert published in visible and draft not in visible, email
        else:
            assert not visible & {published, draft}, email


@pytest.mark.parametrize("email", sorted(TEAM_A1 | FAMILY_AT_VANDENBERGHE))
def test_edit_rights_follow_prepare_lessons(demo_fiches, demo_cast, client, login, email):
    draft = _draft(demo_fiches)
    login(email)
    response = client.get(f"/bedrijfsfiches/{draft.public_id}/edit/")
    if email in EDITORS:
        assert response.status_code == 200, email
    elif email in TEAM_A1:
        assert response.status_code == 403, email
    else:
        assert response.status_code == 404, email  # a student never sees a draft


def test_the_raci_matrix_decides(demo_fiches, demo_cast):
    """Taking the mentor's R on lesvoorbereiding away takes the right to edit away."""
    from partnerships.models import RaciCell
    from partnerships.services.grants import partnership_sync_grants

    mentor = demo_cast[MENTOR]
    draft = _draft(demo_fiches)
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=mentor, public_id=draft.public_id
    )
    assert version.may_edit
    RaciCell.objects.filter(partnership=a1(), task="lesvoorbereiding", role="mentor").update(
        letter="C"
    )
    partnership_sync_grants(partnership=a1())
    version = bedrijfsfiche_access.get_bedrijfsfiche_version_for_user(
        user=mentor, public_id=draft.public_id
    )
    assert not version.may_edit


def test_a_company_edits_only_its_own_vestigingen(demo_fiches, demo_cast):
    """The school side writes for every company of the partnership; a company for its own."""
    from organisations.models import Organisation

    daems = Organisation.objects.get(name="Koeltechniek Daems")
    partnership = a1()
    partnership.user_perms = {permissions.PREPARE_LESSONS}
    vestiging = daems.vestigingen.first()
    assert permissions.may_edit_bedrijfsfiches(
        user=demo_cast[LK], partnership=partnership, vestiging_id=vestiging.pk
    )
    assert not permissions.may_edit_bedrijfsfiches(
        user=demo_cast[MENTOR], partnership=partnership, vestiging_id=vestiging.pk
    )


def test_the_student_page_lists_the_published_ones_of_their_placements(demo_fiches, client, login):
    lotte = Traject.objects.get(student__first_name="Lotte")
    login("leerling1@sintjozef.demo")
    page = client.get(f"/trajects/{lotte.public_id}/bedrijfsfiches/").content.decode()
    assert "Geïntegreerde lasopdracht" in page
    assert "Veilig werken" not in page  # a draft
    detail = client.get(f"/bedrijfsfiches/{_published(demo_fiches).public_id}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    # The leerfiche's parts, read-only, then the company's, the steps numbered.
    published = _published(demo_fiches)
    leerdoel = LeerficheItem.objects.filter(leerfiche=published.leerfiche, kind="leerdoel").first()
    criterion = published.leerfiche.criteria.first()
    assert leerdoel is not None and criterion is not None
    from django.utils.html import escape

    assert escape(leerdoel.text) in text and escape(criterion.text) in text
    assert '<ol data-testid="steps">' in text
    assert "bedrijfsfiche-edit" not in text and "photo-form" not in text
    assert client.get(f"/bedrijfsfiches/{_draft(demo_fiches).public_id}/").status_code == 404
    # Emma (A2, another company) sees nothing of it.
    client.logout()
    login("leerling3@sintjozef.demo")
    assert client.get(f"/bedrijfsfiches/{_published(demo_fiches).public_id}/").status_code == 404


def test_the_leerdoelen_are_read_from_the_leerfiche_not_copied(demo_fiches, client, login):
    published = _published(demo_fiches)
    LeerficheItem.objects.filter(leerfiche=published.leerfiche, kind="leerdoel").update(
        text="Aangepast leerdoel"
    )
    login(MENTOR)
    assert (
        "Aangepast leerdoel"
        in client.get(f"/bedrijfsfiches/{published.public_id}/").content.decode()
    )


# --- serving photos ---------------------------------------------------------------------------


def test_photos_are_served_only_to_who_may_read_the_version(demo_fiches, demo_cast, client, login):
    published = _published(demo_fiches)
    photo = published.photos.get()
    draft = services.start_draft(actor=demo_cast[MENTOR], bedrijfsfiche=published.bedrijfsfiche)
    draft_photo = draft.photos.get()
    for email in sorted(demo_cast):
        client.logout()
        login(email)
        response = client.get(f"/bedrijfsfiches/photos/{photo.public_id}/")
        draft_response = client.get(f"/bedrijfsfiches/photos/{draft_photo.public_id}/")
        if email in TEAM_A1 | FAMILY_AT_VANDENBERGHE:
            assert response.status_code == 200, email
            assert response["Content-Type"] == "image/jpeg"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"].startswith("private")
            assert response["Content-Disposition"].startswith("inline")
            assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        else:
            assert response.status_code == 404, email
        assert draft_response.status_code == (200 if email in TEAM_A1 else 404), email
    client.logout()
    assert client.get(f"/bedrijfsfiches/photos/{photo.public_id}/").status_code == 302
    login(MENTOR)
    assert client.get(f"/bedrijfsfiches/photos/{uuid.uuid4()}/").status_code == 404


# --- the PDF ----------------------------------------------------------------------------------


def test_the_pdf_holds_the_bedrijfsfiches_with_their_photo(demo_fiches, demo_cast):
    from pypdf import PdfReader

    from documents import rendering
    from learning.documents.bedrijfsfiches import BedrijfsfichesPdf, bedrijfsfiches_context

    context = bedrijfsfiches_context(partnership=a1())
    assert [len(f.photos) for f in context["fiches"]] == [1, 0]
    assert context["fiches"][0].photos[0].data_uri.startswith("data:image/jpeg;base64,")
    from django.utils import timezone

    rendered = rendering.render_pdf(
        template_name=BedrijfsfichesPdf.template_name,
        context={**context, "generated_at": timezone.now()},
    )
    assert rendered.refused == []
    reader = PdfReader(io.BytesIO(rendered.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Geïntegreerde lasopdracht" in text and "Veilig werken" in text
    embedded = {image.data for page in reader.pages for image in page.images}
    assert len(embedded) == 1  # the one photo (pages may share it as a resource)


def test_the_pdf_is_requested_by_the_team_only(demo_fiches, client, login):
    url = f"/documents/request/bedrijfsfiches/{a1().public_id}/"
    login("leerling1@sintjozef.demo")
    assert client.post(url).status_code == 404
    client.logout()
    login(MENTOR)
    assert client.post(url).status_code == 302


# --- the pages --------------------------------------------------------------------------------


def test_a_refused_edit_shows_the_errors_next_to_the_fields_and_on_top(demo_fiches, client, login):
    draft = _draft(demo_fiches)
    login(MENTOR)
    response = client.post(
        f"/bedrijfsfiches/{draft.public_id}/edit/",
        {"werkvorm": "toveren", "instructies": "x"},
        HTTP_ACCEPT_LANGUAGE="nl-BE",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'class="field__error"' in page
    assert 'href="#id_werkvorm"' in page
    draft.refresh_from_db()
    assert draft.instructies != "x"


def test_the_edit_form_labels_the_shared_fields(demo_fiches, client, login):
    login(LK)
    page = client.get(f"/bedrijfsfiches/{_draft(demo_fiches).public_id}/edit/").content.decode()
    assert 'data-testid="audience-instructies"' in page
    assert (
        'accept="image/*"'
        in client.get(f"/bedrijfsfiches/{_draft(demo_fiches).public_id}/").content.decode()
    )


def test_publish_and_new_draft_act_only_when_confirmed(demo_fiches, client, login):
    published, draft = _published(demo_fiches), _draft(demo_fiches)
    login(MENTOR)
    # Without confirm=yes: only the confirmation page, nothing changes.
    response = client.post(f"/bedrijfsfiches/{draft.public_id}/publish/")
    assert response.status_code == 200 and 'data-testid="confirm-page"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    response = client.post(f"/bedrijfsfiches/{draft.public_id}/publish/", {"confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED

    assert client.post(f"/bedrijfsfiches/{published.public_id}/new-draft/").status_code == 200
    assert published.bedrijfsfiche.versions.count() == 1
    response = client.post(f"/bedrijfsfiches/{published.public_id}/new-draft/", {"confirm": "yes"})
    new = published.bedrijfsfiche.versions.get(number=2)
    assert response["Location"] == f"/bedrijfsfiches/{new.public_id}/edit/"
    # The published version's page offers no editing, the draft's does.
    text = client.get(f"/bedrijfsfiches/{published.public_id}/").content.decode()
    assert "bedrijfsfiche-edit" not in text and "bedrijfsfiche-new-draft" in text
    text = client.get(f"/bedrijfsfiches/{new.public_id}/").content.decode()
    assert "bedrijfsfiche-edit" in text and "photo-form" in text


def test_create_through_the_page(plan, client, login):
    login(LK)
    url = f"/partnerships/{a1().public_id}/bedrijfsfiches/new/"
    response = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert response.status_code == 400 and 'class="error-summary"' in response.content.decode()
    # One without a bedrijfsfiche yet (the demo wrote two).
    leerfiche = (
        Leerfiche.objects.filter(version=plan)
        .exclude(key__in=["geintegreerde-lasopdracht", "veilig-lassen"])
        .order_by("pk")
        .last()
    )
    response = client.post(url, {"vestiging": _vestiging().pk, "leerfiche": leerfiche.pk})
    assert response.status_code == 302
    version = BedrijfsficheVersion.objects.get(leerfiche=leerfiche)
    assert version.title == leerfiche.title
    listing = client.get(f"/partnerships/{a1().public_id}/bedrijfsfiches/").content.decode()
    assert leerfiche.title in listing and "Metaalbouw Vandenberghe" in listing


def test_without_an_adopted_plan_the_pages_say_so(demo_cast, client, login):
    Opleidingsplan.objects.filter(partnership=a1()).delete()
    login(LK)
    for url in (
        f"/partnerships/{a1().public_id}/bedrijfsfiches/",
        f"/partnerships/{a1().public_id}/bedrijfsfiches/new/",
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl-BE")
        assert response.status_code == 200
        assert "nog geen leerfichereeks gekozen" in response.content.decode()
