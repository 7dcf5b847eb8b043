"""Documents in the committee workspace: who uploads what, which files are accepted, download
only through a view that checks who asks, removal by the uploader or staff (in the history)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from samenspraak.committees import services
from samenspraak.committees.models import CommitteeDocument, DocumentCategory
from samenspraak.common.models import AuditEvent
from tests.committees.factories import MembershipFactory

pytestmark = pytest.mark.django_db


# --- real files, made here -----------------------------------------------------------------


def pdf_bytes(text: str = "Agenda van de eerste bijeenkomst") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["voorstel", "bedrag"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def member(committee):
    return MembershipFactory(committee=committee).user


@pytest.fixture
def other_member(committee):
    return MembershipFactory(committee=committee).user


@pytest.fixture
def guide(committee, facilitator):
    MembershipFactory(committee=committee, user=facilitator, role="facilitator", source="assigned")
    return facilitator


def add(actor, committee, name="verslag.pdf", content=None, category="working", title=""):
    return services.document_upload(
        actor=actor,
        committee=committee,
        upload=upload(name, pdf_bytes() if content is None else content),
        title=title,
        category=category,
    )


# --- who uploads what ------------------------------------------------------------------------


def test_a_member_uploads_a_working_document_stored_privately(committee, member, media_root):
    document = add(member, committee, "Eerste opzet.pdf", title="Eerste opzet")
    assert (document.title, document.category, document.uploaded_by) == (
        "Eerste opzet",
        DocumentCategory.WORKING,
        member,
    )
    assert document.original_name == "Eerste opzet.pdf"
    stored = media_root / document.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    # Stored under a random name in the committee's folder: the uploader's name is no path.
    assert document.file.name.startswith(f"committees/{committee.uuid}/")
    assert "Eerste" not in document.file.name
    event = AuditEvent.objects.get(action="document_upload")
    assert (event.actor, event.process_id) == (member, committee.process_id)
    assert event.changes["file"] == "Eerste opzet.pdf"


def test_the_title_defaults_to_the_file_name(committee, member):
    assert add(member, committee, "agenda-maart.pdf").title == "agenda-maart"


def test_the_facilitator_uploads_agenda_and_minutes_but_never_content(committee, guide):
    document = add(guide, committee, "agenda.pdf", category=DocumentCategory.PROCESS)
    assert document.uploaded_by == guide
    for category in (DocumentCategory.WORKING, DocumentCategory.REPORT):
        with pytest.raises(PermissionDenied):
            add(guide, committee, "mijn-visie.pdf", category=category)
    assert CommitteeDocument.objects.count() == 1


def test_staff_upload_any_kind(committee, staff_user):
    for category in DocumentCategory.values:
        add(staff_user, committee, category=category)
    assert CommitteeDocument.objects.count() == 3


def test_outsiders_cannot_upload(committee, other_staff, user_of_role):
    outsider_member = MembershipFactory().user  # a member of another committee
    for actor in (other_staff, outsider_member, user_of_role("resident")):
        with pytest.raises(PermissionDenied):
            add(actor, committee, category=DocumentCategory.PROCESS)
    assert not CommitteeDocument.objects.exists()


# --- which files are accepted ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("verslag.pdf", pdf_bytes()),
        ("notitie.docx", docx_bytes()),
        ("notitie.odt", odt_bytes()),
        ("begroting.xlsx", xlsx_bytes()),
        ("begroting.ods", odt_bytes("application/vnd.oasis.opendocument.spreadsheet")),
        ("kaart.png", PNG),
        ("foto.JPG", JPG),
        ("aantekeningen.txt", "Afspraken: één, twee.".encode()),
        ("lijst.csv", b"naam;aantal\nAnna;3\n"),
    ],
)
def test_every_allowed_type_is_accepted(committee, member, name, content):
    document = add(member, committee, name, content)
    assert document.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("virus.exe", b"MZ\x90\x00", "niet toegestaan"),
        ("script.html", b"<script>alert(1)</script>", "niet toegestaan"),
        ("verslag.pdf", b"MZ\x90\x00 a program", "geen echt .pdf-bestand"),
        ("notitie.docx", odt_bytes(), "geen echt .docx-bestand"),
        ("notitie.odt", docx_bytes(), "geen echt .odt-bestand"),
        ("begroting.ods", odt_bytes(), "geen echt .ods-bestand"),
        ("kaart.png", JPG, "geen echt .png-bestand"),
        ("tekst.txt", b"MZ\x00\x00binary", "geen echt .txt-bestand"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_a_wrong_file_is_refused_at_the_field_and_nothing_is_stored(
    committee, member, media_root, name, content, says
):
    with pytest.raises(ValidationError) as caught:
        add(member, committee, name, content)
    assert says in " ".join(caught.value.message_dict["file"])
    assert not CommitteeDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="document_upload").exists()
    folder = media_root / "committees"
    assert not folder.exists() or not any(path.is_file() for path in folder.rglob("*"))


def test_the_size_limit_comes_from_the_settings(committee, member, settings):
    settings.COMMITTEE_DOCUMENT_MAX_MB = 1
    big = pdf_bytes() + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        add(member, committee, "groot.pdf", big)
    assert "te groot" in " ".join(caught.value.messages)
    assert "1,0\xa0MB" in " ".join(caught.value.messages)  # Django's Dutch size
    settings.COMMITTEE_DOCUMENT_MAX_MB = 2
    assert add(member, committee, "groot.pdf", big).size == len(big)


# --- download and removal --------------------------------------------------------------------


def _download_url(document) -> str:
    return f"/comites/{document.committee.slug}/documenten/{document.uuid}/"


def test_download_goes_through_the_view_as_an_attachment(client, committee, member, guide):
    document = add(member, committee, "Eerste opzet.pdf")
    client.force_login(guide)
    response = client.get(_download_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Eerste opzet.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_is_refused_outside_the_workspace(client, committee, member, other_staff):
    document = add(member, committee)
    url = _download_url(document)
    assert client.get(url).status_code == 302  # log in first
    client.force_login(other_staff)
    assert client.get(url).status_code == 403
    client.force_login(MembershipFactory().user)  # a member of another committee
    assert client.get(url).status_code == 403


def test_a_document_is_only_found_under_its_own_committee(client, committee, member, staff_user):
    from tests.committees.factories import CommitteeFactory

    document = add(member, committee)
    elsewhere = CommitteeFactory(process=committee.process)
    client.force_login(staff_user)
    url = f"/comites/{elsewhere.slug}/documenten/{document.uuid}/"
    assert client.get(url).status_code == 404


def test_there_is_no_public_address_for_the_files(client, committee, member, settings):
    """No URL pattern serves MEDIA_ROOT: the files exist only behind the download view."""
    document = add(member, committee)
    client.force_login(member)
    for prefix in ("/media/", "/", settings.MEDIA_URL or "/"):
        assert client.get(f"{prefix}{document.file.name}").status_code == 404


def test_the_uploader_or_staff_remove_a_document(
    committee, member, other_member, guide, staff_user, media_root
):
    mine = add(member, committee)
    for actor in (other_member, guide):
        with pytest.raises(PermissionDenied):
            services.document_delete(actor=actor, document=mine)
    path = media_root / mine.file.name
    services.document_delete(actor=member, document=mine)
    assert not CommitteeDocument.objects.exists()
    theirs = add(member, committee)
    services.document_delete(actor=staff_user, document=theirs)
    events = AuditEvent.objects.filter(action="document_delete").order_by("id")
    assert [e.actor for e in events] == [member, staff_user]
    assert events[1].changes["uploaded_by"] == member.full_name
    assert path.exists()  # the file goes once the removal commits (on_commit; see next test)


def test_the_file_is_deleted_with_its_document(
    committee, member, media_root, django_capture_on_commit_callbacks
):
    document = add(member, committee)
    path = media_root / document.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=member, document=document)
    assert not path.exists()


def test_a_facilitator_removes_their_own_agenda(committee, guide):
    agenda = add(guide, committee, "agenda.pdf", category=DocumentCategory.PROCESS)
    services.document_delete(actor=guide, document=agenda)
    assert not CommitteeDocument.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def test_the_workspace_lists_documents_with_download_and_remove(
    client, committee, member, other_member
):
    document = add(member, committee, "Eerste opzet.pdf", title="Eerste opzet")
    client.force_login(other_member)
    content = client.get(f"/comites/{committee.slug}/werkruimte/").content.decode()
    assert 'id="documents"' in content
    assert _download_url(document) in content
    assert "Eerste opzet" in content and "Werkdocument" in content
    assert f"{_download_url(document)}verwijderen/" not in content  # not theirs
    client.force_login(member)
    content = client.get(f"/comites/{committee.slug}/werkruimte/").content.decode()
    assert f"{_download_url(document)}verwijderen/" in content


def test_the_upload_page_for_a_facilitator_offers_agenda_and_minutes_only(client, committee, guide):
    client.force_login(guide)
    url = f"/comites/{committee.slug}/documenten/toevoegen/"
    content = client.get(url).content.decode()
    assert 'value="process"' in content
    assert 'value="working"' not in content and 'value="report"' not in content
    response = client.post(url, {"file": upload("visie.pdf", pdf_bytes()), "category": "working"})
    assert response.status_code == 200
    assert not CommitteeDocument.objects.exists()
    response = client.post(url, {"file": upload("agenda.pdf", pdf_bytes()), "category": "process"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/comites/{committee.slug}/werkruimte/#documents")
    assert CommitteeDocument.objects.get().category == DocumentCategory.PROCESS


def test_a_wrong_file_on_the_upload_page_is_shown_at_the_field(client, committee, member):
    client.force_login(member)
    response = client.post(
        f"/comites/{committee.slug}/documenten/toevoegen/",
        {"file": upload("verslag.pdf", b"not a pdf"), "category": "report", "title": "Verslag"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in content
    assert "geen echt .pdf-bestand" in content
    assert 'value="Verslag"' in content  # what was typed is kept
    assert not CommitteeDocument.objects.exists()


def test_removing_through_the_page(client, committee, member):
    document = add(member, committee)
    client.force_login(member)
    response = client.post(f"{_download_url(document)}verwijderen/")
    assert response.status_code == 302
    assert not CommitteeDocument.objects.exists()
