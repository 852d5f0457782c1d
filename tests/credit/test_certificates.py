"""Certificates (issue 17): the PDF opens and says what it must, its QR code decodes to the
public verification page, which shows only name, activity, date and credit; revoked verifies as
revoked; a certificate renders within 300 ms."""

import subprocess
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from credit.certificate_pdf import claim_certificate_pdf, verify_url
from credit.models import Certificate
from credit.revocation import claim_revoke
from credit.services import claim_credit
from credit.services_certificate import (
    CertificateError,
    certificate_for_claim,
    certificate_for_year,
    normalize_code,
)
from tests import factories as f
from tests.credit.evaluation_helpers import answer, evaluation
from tests.credit.helpers import approved_child, pending_child
from tests.tools import require_tool

pytestmark = pytest.mark.django_db
START = f.local(2026, 3, 12, 12, 0)
NOW = START + timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def awarded(series, office, learner):
    child = approved_child(series, office, start=START)
    return claim_credit(learner=learner, child_id=child.pk, channel="web")


def pdf_text(content: bytes, tmp_path) -> str:
    require_tool("pdftotext")
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=30
    )
    return done.stdout.decode()


def qr_of(content: bytes, tmp_path) -> list[str]:
    require_tool("pdftoppm")
    import zxingcpp
    from PIL import Image

    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]


def test_the_session_certificate_opens_and_its_qr_opens_the_verification_page(
    client, awarded, learner, tmp_path
):
    learner.credentials = "MD"
    learner.save()
    client.force_login(learner)
    response = client.get(reverse("certificate_claim_pdf", args=[awarded.child_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    text = " ".join(pdf_text(content, tmp_path).split())
    assert "Lee Learner, MD" in text
    assert "Sepsis bundles in the first hour" in text and "Medicine Grand Rounds" in text
    assert "Thursday, March 12, 2026" in text
    assert "1.00 AMA PRA Category 1 Credit(TM)" in text
    assert "designates this live activity for a maximum of 1.0 AMA PRA Category 1 Credit(s)" in text
    certificate = Certificate.objects.get(claim=awarded)
    assert certificate.code in text.replace("-", "")
    assert qr_of(content, tmp_path) == [verify_url(certificate.code)]

    # The QR's address: the public page, for anyone, with name, activity, date and credit only.
    client.logout()
    page = client.get(reverse("verify", args=[certificate.code]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-verified="valid"' in html
    assert "Lee Learner" in html and "Sepsis bundles in the first hour" in html
    assert "Mar 12, 2026" in html and "1.00 AMA PRA Category 1 Credit(TM)" in html
    for private in (learner.email, "MD", learner.mobile_phone, "Physician"):
        assert private not in html
    # The same certificate, the same code, on every download.
    client.force_login(learner)
    client.get(reverse("certificate_claim_pdf", args=[awarded.child_id]))
    assert Certificate.objects.count() == 1


def test_a_certificate_renders_within_300_ms(awarded):
    certificate = certificate_for_claim(learner=awarded.learner, child_id=awarded.child_id)
    claim_certificate_pdf(certificate)  # fonts registered once per process
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        certificate = certificate_for_claim(learner=awarded.learner, child_id=awarded.child_id)
        claim_certificate_pdf(certificate)
        timings.append(time.perf_counter() - began)
    timings.sort()
    print(f"certificate render: median {timings[2] * 1000:.1f} ms")
    assert timings[2] < 0.3


def test_a_revoked_claim_verifies_as_revoked(client, awarded, office):
    certificate = certificate_for_claim(learner=awarded.learner, child_id=awarded.child_id)
    claim_revoke(claim_id=awarded.pk, by=office, reason="Left before the session started")
    html = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert 'data-verified="revoked"' in html and "Revoked" in html
    with pytest.raises(CertificateError):
        certificate_for_claim(learner=awarded.learner, child_id=awarded.child_id)


def test_no_certificate_before_the_credit_is_awarded(client, series, coordinator, learner):
    child = pending_child(series, start=START)
    claim_credit(learner=learner, child_id=child.pk, channel="web")
    with pytest.raises(CertificateError) as exc:
        certificate_for_claim(learner=learner, child_id=child.pk)
    assert exc.value.code == "not_awarded"
    client.force_login(learner)
    response = client.get(reverse("certificate_claim_pdf", args=[child.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("transcript")
    assert not Certificate.objects.exists()


def test_nobody_downloads_someone_elses_certificate(client, awarded):
    client.force_login(f.person(last_name="Other"))
    response = client.get(reverse("certificate_claim_pdf", args=[awarded.child_id]))
    assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_the_year_certificate_lists_the_years_credit_and_grows_with_it(
    client, series, office, coordinator, learner, tmp_path
):
    first = approved_child(series, office, start=START)
    claim_credit(learner=learner, child_id=first.pk, channel="web")
    evaluation(series, coordinator)
    second_start = START + timedelta(days=7)
    second = approved_child(series, office, start=second_start, name="Stroke code review")
    with time_machine.travel(second_start, tick=False):
        waiting = claim_credit(learner=learner, child_id=second.pk, channel="web")
    one = certificate_for_year(learner=learner, year=2026)
    assert [c.child_id for c in one.listed] == [first.pk]  # the second waits for its evaluation
    assert certificate_for_year(learner=learner, year=2026).code == one.code
    answer(waiting, 4, 4)
    two = certificate_for_year(learner=learner, year=2026)
    assert two.code != one.code and [c.child_id for c in two.listed] == [first.pk, second.pk]

    client.force_login(learner)
    content = client.get(reverse("certificate_year_pdf", args=[2026])).content
    text = " ".join(pdf_text(content, tmp_path).split())
    assert "Certificate of Credit 2026" in text and "Stroke code review" in text
    assert "awarded 2.00 AMA PRA Category 1 Credit(TM)" in text
    assert qr_of(content, tmp_path) == [verify_url(two.code)]
    # The older certificate still verifies what it listed.
    html = client.get(reverse("verify", args=[one.code])).content.decode()
    assert "Sepsis bundles" in html and "Stroke code review" not in html


def test_codes_are_unguessable_and_typed_codes_are_forgiven(client, awarded):
    certificate = certificate_for_claim(learner=awarded.learner, child_id=awarded.child_id)
    assert len(certificate.code) == 10 and certificate.code.isalnum()
    typed = f"{certificate.code[:5].lower()} - {certificate.code[5:]}"
    assert normalize_code(typed) == certificate.code
    response = client.get(reverse("verify_lookup"), {"code": typed})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("verify", args=["ABCDEFGHJK"])).status_code == 404
    assert client.get(reverse("verify_lookup")).status_code == 200


def test_verification_is_rate_limited(client, settings, one_rate_window):
    settings.CREDIT_RATE_LIMITS = {"verify_ip": (3, 60)}
    codes = [client.get(reverse("verify", args=["ABCDEFGHJK"])).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_a_rejected_session_after_the_certificate_no_longer_verifies_as_valid(
    client, awarded, office
):
    from activities.services.children import child_reject

    certificate = certificate_for_claim(learner=awarded.learner, child_id=awarded.child_id)
    child_reject(awarded.child, reviewer=office, reason="Commercial bias found")
    html = client.get(reverse("verify", args=[certificate.code])).content.decode()
    assert 'data-verified="withdrawn"' in html
