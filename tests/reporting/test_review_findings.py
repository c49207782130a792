"""Review findings on the reporting cycle: typed figures survive an upload (R2), the evidence
cap and the request limits, the campaign form on error (R10) and its POST-only URL (R11),
the queue on a phone (R4), the campaign API's messages in the reader's language."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from reporting.attachments import MAX_FILES_PER_SUBMISSION
from reporting.choices import SubmissionState as S
from reporting.models import Attachment
from reporting.services import attachment_add
from tests.reporting.conftest import figures, pdf

pytestmark = pytest.mark.django_db


def test_attaching_before_saving_keeps_the_typed_figures(client, world, submissions):
    own = submissions["own"]
    client.force_login(world["users"]["company"])
    page = client.get(reverse("reporting:portal")).content.decode()
    form = page[
        page.index('id="figures-form"') : page.index("</form>", page.index('id="figures-form"'))
    ]
    # The upload is part of the figures form, so the figures typed travel with the file.
    assert 'enctype="multipart/form-data"' in form and 'name="file"' in form
    response = client.post(
        reverse("reporting:portal"), {**figures(tax_paid="861"), "attach": "1", "file": pdf()}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.state == S.DRAFT and own.figures["tax_paid"] == "861"
    assert own.attachments.count() == 1
    # A figure in error keeps everything typed on the page and attaches nothing.
    refused = client.post(
        reverse("reporting:portal"),
        {**figures(tax_paid="-5", rd_expense="333"), "attach": "1", "file": pdf()},
    )
    assert refused.status_code == 200 and own.attachments.count() == 1
    assert refused.context["form"]["rd_expense"].value() == "333"


def test_a_submission_holds_at_most_its_cap_of_files(world, submissions):
    own = submissions["own"]
    admin = world["users"]["admin"]
    Attachment.objects.bulk_create(
        [
            Attachment(submission=own, kind="pdf", original_name=f"{n}.pdf", size=1, file="x")
            for n in range(MAX_FILES_PER_SUBMISSION)
        ]
    )
    with pytest.raises(ValidationError) as refused:
        attachment_add(submission=own, user=admin, upload=pdf())
    assert "file" in refused.value.message_dict
    assert own.attachments.count() == MAX_FILES_PER_SUBMISSION


def test_upload_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == MAX_FILES_PER_SUBMISSION


@override_settings(MAX_REQUEST_BYTES=1000)
def test_a_request_larger_than_the_limit_is_refused_unread(client, world, submissions):
    client.force_login(world["users"]["company"])
    response = client.post(
        reverse("reporting:portal"), {**figures(), "save": "1", "file": pdf(), "pad": "x" * 2000}
    )
    assert response.status_code == 413
    submissions["own"].refresh_from_db()
    assert submissions["own"].state == S.NOT_STARTED


def test_a_refused_campaign_keeps_what_was_typed(client, world):
    client.force_login(world["users"]["city"])
    response = client.post(
        reverse("reporting:campaign_open"),
        {"year": "2035", "deadline": "2020-01-01", "note": "第二批填报说明"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["note"].value() == "第二批填报说明" and form["year"].value() == "2035"
    assert form.errors  # the year not begun, named beside its field
    assert "第二批填报说明" in response.content.decode()


def test_a_post_only_address_opened_directly_gets_a_page(client, world, campaign):
    client.force_login(world["users"]["city"])
    assert client.get(reverse("reporting:campaign_open")).status_code == 302
    for name, args in [
        ("reporting:campaign_extend", [campaign.pk]),
        ("reporting:campaign_add", [campaign.pk]),
        ("reporting:portal_attach", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code in (404, 405), name
        if response.status_code == 405:
            assert b"<html" in response.content and response.has_header("Allow")


def test_the_queue_folds_secondary_columns_on_a_phone(client, world, submissions):
    own = submissions["own"]
    own.figures, own.state = figures(), S.SUBMITTED
    own.save()
    client.force_login(world["users"]["county"])
    page = client.get(reverse("reporting:queue")).content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert head.count('class="narrow-hide"') == 3  # region, year, submitted at
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 640px)") :]
    assert "table.data .narrow-hide { display: none; }" in phone[: phone.index("@media print")]


@pytest.mark.parametrize(
    ("language", "text"), [("en", "No region has the id 999999."), ("zh-hans", "999999")]
)
def test_campaign_api_messages_are_translated(world, language, text):
    from tests.api.conftest import client_for

    api = client_for(world["users"]["city"])
    response = api.post(
        "/api/v1/campaigns/",
        {"year": 2019, "deadline": "2030-01-01", "regions": [999999]},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    message = response.json()["regions"][0]
    assert text in message
    if language == "zh-hans":
        assert "region" not in message
