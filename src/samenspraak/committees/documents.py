"""Which files a committee workspace accepts, and the check that a file is what it says.

Allowed: PDF, Word (.docx), OpenDocument text and spreadsheet (.odt, .ods), Excel (.xlsx),
PowerPoint (.pptx), PNG and JPEG images, plain text and CSV. The name's extension decides the
type, and the first bytes (or, for the zip-based office formats, the parts inside) must match
it: a program renamed to "verslag.pdf" is refused. The size limit comes from the setting
``COMMITTEE_DOCUMENT_MAX_MB``. Downloads are always sent with the type below and as an
attachment, never with a type the uploader chose.
"""

from __future__ import annotations

import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> the content type a download is sent with
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)

# A part every file of an Office Open XML type has inside its zip.
_OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/"}
# The first entry of an OpenDocument zip is "mimetype", holding exactly this text.
_ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_SIGNATURES = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",)}
_SIGNATURES["jpeg"] = _SIGNATURES["jpg"]


def max_bytes() -> int:
    return int(settings.COMMITTEE_DOCUMENT_MAX_MB) * 1024 * 1024


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _matches(extension: str, file: IO[bytes]) -> bool:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if extension in _SIGNATURES:
        return head.startswith(_SIGNATURES[extension])
    if extension in ("txt", "csv"):
        return b"\x00" not in head  # text has no NUL bytes; binary files nearly always do
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if extension in _ODF_MIMETYPE:
                with archive.open("mimetype") as part:
                    return part.read(100).strip() == _ODF_MIMETYPE[extension]
            wanted = _OOXML_PART[extension]
            return "[Content_Types].xml" in names and any(n.startswith(wanted) for n in names)
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        file.seek(0)


def check_upload(upload) -> str:
    """Refuse a file of the wrong type or size (a field error on ``file``); else its extension."""
    extension = extension_of(upload.name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            {
                "file": _("This kind of file is not allowed. Allowed are: %(types)s.")
                % {"types": ", ".join(ALLOWED_EXTENSIONS)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > max_bytes():
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s. At most %(max)s is allowed.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes())}
            }
        )
    if not _matches(extension, upload):
        raise ValidationError(
            {
                "file": _(
                    "The file is not a real .%(extension)s file. Save it again in that format."
                )
                % {"extension": extension}
            }
        )
    return extension
