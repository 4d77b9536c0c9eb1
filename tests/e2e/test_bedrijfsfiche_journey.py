"""Issue 9 in a real Chromium: the leerkracht starts a bedrijfsfiche for Metaalbouw
Vandenberghe, the mentor writes the instructions, uploads a photo from the phone's file input
and publishes it, and the student Lotte reads it, photo included, on a 390 px phone without
sideways scrolling."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from duaal import demo
from learning.models import Bedrijfsfiche, BedrijfsficheVersion, Leerfiche, VersionStatus
from partnerships.models import Traject
from tests.learning.bedrijfsfiche_helpers import a1, adopt_plan

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(demo.DEFAULT_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def photo_png() -> bytes:
    """A photo as a phone would hand it over (drawn here: no file on disk)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1200), (230, 230, 235))
    ImageDraw.Draw(image).rectangle((200, 700, 1400, 900), fill=(90, 90, 100))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_leerkracht_and_mentor_write_a_bedrijfsfiche_and_the_student_reads_it_on_a_phone(
    page, browser, live_server, demo_cast
):
    set_version = adopt_plan(a1())  # the demo's plan when there is one, else a test set
    taken = Bedrijfsfiche.objects.filter(partnership=a1()).values_list("leerfiche_key", flat=True)
    leerfiche = (
        Leerfiche.objects.filter(version=set_version)
        .exclude(key__in=list(taken))
        .order_by("theme__order", "order")
        .first()
    )
    assert leerfiche is not None

    # 1. The leerkracht starts it from the partnership page.
    page.set_viewport_size(DESKTOP)
    log_in(page, "lk@sintjozef.demo")
    page.goto(f"/partnerships/{a1().public_id}/")
    page.get_by_test_id("bedrijfsfiches-link").click()
    page.get_by_test_id("bedrijfsfiche-new").click()
    form = page.get_by_test_id("bedrijfsfiche-create-form")
    expect(form.locator("[name=vestiging]")).to_contain_text("Vandenberghe")
    form.locator("[name=leerfiche]").select_option(str(leerfiche.pk))
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bedrijfsfiches/[0-9a-f-]+/edit/$"))
    version = BedrijfsficheVersion.objects.get(
        bedrijfsfiche__partnership=a1(), bedrijfsfiche__leerfiche_key=leerfiche.key
    )
    assert version.status == VersionStatus.DRAFT and version.created_by.email == "lk@sintjozef.demo"

    # 2. The mentor, on a phone, writes the instructions, adds a photo and publishes.
    mentor = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    mentor_page = mentor.new_page()
    log_in(mentor_page, "mentor@vandenberghe.demo")
    mentor_page.goto(f"/partnerships/{a1().public_id}/bedrijfsfiches/")
    mentor_page.get_by_test_id(f"bedrijfsfiche-{leerfiche.key}").get_by_role("link").first.click()
    mentor_page.get_by_test_id("bedrijfsfiche-edit").click()
    edit = mentor_page.get_by_test_id("bedrijfsfiche-edit-form")
    edit.locator("[name=instructies]").fill("Vraag eerst de WPS aan je mentor.")
    edit.locator("[name=werkvorm_steps]").fill("Machine instellen\nTestlas leggen\nLassen")
    edit.locator("button[type=submit]").click()
    mentor_page.wait_for_url(re.compile(rf"/bedrijfsfiches/{version.public_id}/$"))
    expect(mentor_page.get_by_test_id("steps").locator("li")).to_have_count(3)

    upload = mentor_page.get_by_test_id("photo-form")
    expect(upload.locator("input[type=file]")).to_have_attribute("accept", "image/*")
    upload.locator("input[type=file]").set_input_files(
        {"name": "IMG_2041.png", "mimeType": "image/png", "buffer": photo_png()}
    )
    upload.locator("[name=caption]").fill("Laspost 3")
    upload.get_by_test_id("photo-upload").click()
    mentor_page.wait_for_url(re.compile(r"#photos$"))
    expect(mentor_page.get_by_test_id("photo")).to_have_count(1)
    assert no_horizontal_scroll(mentor_page)  # the draft with its photo tools fits the phone

    mentor_page.get_by_test_id("bedrijfsfiche-publish").click()
    dialog = mentor_page.locator("dialog#publish-bedrijfsfiche")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("confirm").click()
    expect(mentor_page.get_by_test_id("bedrijfsfiche-status")).to_contain_text("Gepubliceerd")
    assert no_horizontal_scroll(mentor_page)
    mentor.close()
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.photos.get().width == 1600

    # 3. Lotte reads it on her phone, with the photo, without sideways scrolling.
    lotte = Traject.objects.get(student__first_name="Lotte")
    student = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    student_page = student.new_page()
    log_in(student_page, "leerling1@sintjozef.demo")
    student_page.goto(f"/trajects/{lotte.public_id}/")
    student_page.get_by_test_id("traject-bedrijfsfiches-link").click()
    student_page.get_by_role("link", name=version.title).click()
    expect(student_page.get_by_test_id("bedrijfsfiche-title")).to_have_text(version.title)
    expect(student_page.get_by_test_id("instructies")).to_contain_text("WPS")
    image = student_page.get_by_test_id("photo-img")
    expect(image).to_have_count(1)
    image.scroll_into_view_if_needed()
    student_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    box = image.bounding_box()
    assert box is not None and 0 < box["width"] <= PHONE["width"]
    expect(student_page.get_by_test_id("photos")).to_contain_text("Laspost 3")
    assert student_page.get_by_test_id("bedrijfsfiche-edit").count() == 0
    assert no_horizontal_scroll(student_page)
    student.close()
    assert page.console_errors == []
