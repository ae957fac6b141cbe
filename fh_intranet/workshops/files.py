"""Checking uploads by their content, and cleaning images: re-encoded, EXIF (location!) removed."""
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..changes import Refused, reason

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"%PDF-", "application/pdf", None),
]
PREVIEW_SIZE = (480, 480)
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding

NOT_ALLOWED = reason("workshops.file_type", _l("Dieser Dateityp ist nicht erlaubt. Erlaubt sind Fotos (JPEG, PNG, WebP) und PDF-Dateien."))
BROKEN = reason("workshops.file_broken", _l("Die Datei ist beschädigt oder kein gültiges Bild."))


@dataclass
class CleanFile:
    content_type: str
    data: bytes
    preview: bytes | None = None
    width: int | None = None
    height: int | None = None


def sniff(head: bytes) -> tuple[str, str | None] | None:
    """(content type, Pillow format) from the first bytes, or None: the name says nothing."""
    for signature, content_type, pil_format in SIGNATURES:
        if head.startswith(signature):
            return content_type, pil_format
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "WEBP"
    return None


def clean(data: bytes) -> CleanFile:
    kind = sniff(data[:16])
    if kind is None:
        raise Refused(NOT_ALLOWED)
    content_type, pil_format = kind
    if pil_format is None:
        return CleanFile(content_type, data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != pil_format or probe.width * probe.height > MAX_PIXELS:
                raise Refused(BROKEN)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the metadata
            if image.mode not in ("RGB", "RGBA", "L"):
                image = image.convert("RGBA" if pil_format != "JPEG" else "RGB")
            if pil_format == "JPEG" and image.mode == "RGBA":
                image = image.convert("RGB")
            # Only the pixels go into a new image: GPS position, camera and time stay behind.
            fresh = Image.new(image.mode, image.size)
            fresh.paste(image)
            out = io.BytesIO()
            fresh.save(out, format=pil_format, **({"quality": 88, "optimize": True} if pil_format == "JPEG" else {}))
            preview = fresh.convert("RGB")
            preview.thumbnail(PREVIEW_SIZE)
            thumb = io.BytesIO()
            preview.save(thumb, format="JPEG", quality=80)
            return CleanFile(content_type, out.getvalue(), thumb.getvalue(), fresh.width, fresh.height)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise Refused(BROKEN) from None
