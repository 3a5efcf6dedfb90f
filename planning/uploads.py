"""What a plan attachment may be, decided by its content, not its name.

PDF (``%PDF-``), PNG, JPEG and GIF by their signatures, and Office documents
(docx, xlsx, pptx) as ZIP archives holding ``[Content_Types].xml``. Anything
else, an empty file or one over the size limit is refused with a message.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE = 10 * 1024 * 1024

SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def check(upload, max_size=MAX_SIZE) -> str:
    """The content type of ``upload``, or ``ValidationError`` saying why it is refused."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_size:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_size)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(b"PK\x03\x04"):
        content_type = _office_type(upload)
        upload.seek(0)
        if content_type:
            return content_type
    raise ValidationError(
        _("This kind of file cannot be attached. Attach a PDF, an image (PNG, JPEG, GIF) or an Office document."),
        code="type",
    )


def _office_type(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in OFFICE.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None
