"""Checking uploads by their content, and cleaning images: re-encoded, EXIF (location!) removed,
at a bounded cost.

A tiny file can declare a huge picture: a 5 KB PNG of 6320 × 6320 pixels decodes to hundreds of
megabytes. So everything that decides the cost is read from the header first (`Image.open` only
parses it) and an image is refused before a single pixel is decoded when

- it has more pixels than `UPLOAD_MAX_MEGAPIXELS` (or Pillow's own bomb threshold), or
- decoding it would take more memory than `UPLOAD_MAX_DECODED_MB`: JPEG photos are decoded at
  1/2, 1/4 or 1/8 of their size where that suffices (the decoder scales while it decodes, the
  large picture never exists in memory); PNG and WebP can only be decoded whole, so they meet this
  limit at fewer pixels; progressive JPEGs keep all their coefficients while decoding; or
- it is animated (several frames).

At most `UPLOAD_CONVERSIONS` images are decoded at once per process; an upload that finds no free
slot within `SLOT_WAIT_SECONDS` is refused with "try again" instead of queueing without end.
"""
from __future__ import annotations

import io
import logging
import math
import re
import threading
import unicodedata
from dataclasses import dataclass

from flask import has_request_context
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..changes import Refused, reason

log = logging.getLogger(__name__)

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"%PDF-", "application/pdf", None),
]
PIL_FORMATS = {"JPEG": ("JPEG", "MPO"), "PNG": ("PNG",), "WEBP": ("WEBP",)}  # MPO: phone JPEGs with a depth map
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
PREVIEW_SIZE = (480, 480)
# Stored photos are at most this long on their longer side: a 12–16 MP phone photo keeps its full
# size, larger ones are scaled down (a flipchart stays readable far below that).
MAX_SIDE = 4096
SLOT_WAIT_SECONDS = 10
KEPT_MODES = ("RGB", "RGBA", "L")  # other modes are converted, which costs a second copy
JPEG_SCALES = (1, 2, 4, 8)  # what libjpeg can decode at directly

# Said of the content, which is what is checked: „urlaub.jpg“ holding something else is named so.
NOT_ALLOWED = reason("workshops.file_type", _l(
    "Der Inhalt dieser Datei ist weder ein Foto (JPEG, PNG, WebP) noch ein PDF. Nur solche Dateien "
    "können hochgeladen werden."))
BROKEN = reason("workshops.file_broken", _l("Die Datei ist beschädigt oder kein gültiges Bild."))
BROKEN_PDF = reason("workshops.pdf_broken", _l(
    "Die Datei beginnt wie ein PDF, endet aber nicht wie eines: Sie ist wohl unvollständig, etwa beim "
    "Speichern oder Übertragen abgebrochen. Bitte speichern Sie das PDF neu und laden Sie es noch einmal hoch."))
TOO_MANY_PIXELS = reason("workshops.image_pixels", _l(
    "Das Bild ist zu groß: %(width)s × %(height)s Bildpunkte (%(megapixels)s Megapixel). "
    "Erlaubt sind höchstens %(limit)s Megapixel."))
FAR_TOO_MANY_PIXELS = reason("workshops.image_bomb", _l(
    "Das Bild ist viel zu groß. Erlaubt sind höchstens %(limit)s Megapixel."))
TOO_COSTLY = reason("workshops.image_memory", _l(
    "Das Bild ist zu groß zum Verarbeiten: %(width)s × %(height)s Bildpunkte (%(megapixels)s Megapixel). "
    "Bilder dieser Art (%(kind)s) dürfen höchstens %(limit)s Megapixel haben; JPEG-Fotos bis %(photo_limit)s Megapixel."))
ANIMATED = reason("workshops.image_animated", _l(
    "Animierte Bilder sind nicht erlaubt: Dieses Bild hat %(frames)s Einzelbilder, erlaubt ist eines."))
BUSY = reason("workshops.conversions_busy", _l(
    "Gerade werden viele Fotos gleichzeitig verarbeitet. Bitte versuchen Sie es in einer Minute noch einmal; "
    "die Dateien wählen Sie dafür bitte erneut aus."))


@dataclass
class CleanFile:
    content_type: str
    data: bytes
    preview: bytes | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Limits:
    """What one image may cost (the README's UPLOAD_* settings)."""
    megapixels: float = 50
    decoded_mb: float = 64
    conversions: int = 2

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(megapixels=config["UPLOAD_MAX_MEGAPIXELS"], decoded_mb=config["UPLOAD_MAX_DECODED_MB"],
                   conversions=config["UPLOAD_CONVERSIONS"])

    @property
    def max_pixels(self) -> int:
        # Pillow's bomb threshold stays the last guard, also if the setting is raised above it.
        return int(min(self.megapixels * 1_000_000, Image.MAX_IMAGE_PIXELS or math.inf))

    @property
    def decode_budget(self) -> int:
        return int(self.decoded_mb * 1024 * 1024)


# --- conversion slots -------------------------------------------------------------------------

_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def conversion_slots(size: int) -> threading.BoundedSemaphore:
    """This process's slots for decoding images: created on first use, so every gunicorn worker
    has its own (a semaphore inherited across fork would be meaningless)."""
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(max(1, size))
        return _slots[size]


# --- checking and cleaning ------------------------------------------------------------------------

def sniff(head: bytes) -> tuple[str, str | None] | None:
    """(content type, Pillow format) from the first bytes, or None: the name says nothing."""
    for signature, content_type, pil_format in SIGNATURES:
        if head.startswith(signature):
            return content_type, pil_format
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "WEBP"
    return None


# A PDF ends with where its cross-reference begins: "startxref", a byte offset, "%%EOF" — what
# a reader looks for first. Readers forgive an offset a little off or bytes after the end (they
# rebuild the cross-reference), so only the end itself and an offset inside the file are asked for.
_PDF_END = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF")
PDF_TAIL = 1024


def is_whole_pdf(data: bytes) -> bool:
    """Whether a file that begins like a PDF also ends like one: a file cut off in transfer or
    while being saved does not, nor does "%PDF-" put in front of something else. A check of the
    end in linear time, not of the document (served with nosniff, a sandbox CSP and as a download
    whatever it holds)."""
    ends = list(_PDF_END.finditer(data[-PDF_TAIL:]))
    return bool(ends) and 0 < int(ends[-1].group(1)) < len(data)


def clean(data: bytes, limits: Limits | None = None) -> CleanFile:
    limits = limits or Limits()
    kind = sniff(data[:16])
    if kind is None:
        raise Refused(NOT_ALLOWED)
    content_type, pil_format = kind
    if pil_format is None:
        if not is_whole_pdf(data):
            raise Refused(BROKEN_PDF)
        return CleanFile(content_type, data)
    try:
        scale = _check(data, pil_format, limits)
        slots = conversion_slots(limits.conversions)
        if not slots.acquire(timeout=SLOT_WAIT_SECONDS):
            raise Refused(BUSY)
        try:
            return _convert(data, pil_format, scale, content_type)
        finally:
            slots.release()
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Beyond Pillow's threshold (checked while the header is read): the warning counts as an
        # error, whether or not the process turns warnings into exceptions.
        raise Refused(FAR_TOO_MANY_PIXELS, limit=_number(limits.max_pixels / 1_000_000)) from None
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError, MemoryError):
        raise Refused(BROKEN) from None
    except Exception:  # hostile files reach odd corners of the decoders: refuse them, never answer 500
        log.warning("image upload refused: decoder failed", exc_info=True)
        raise Refused(BROKEN) from None


def _check(data: bytes, pil_format: str, limits: Limits) -> int:
    """Refuse what would cost too much, from the header alone; the JPEG scale to decode at."""
    with Image.open(io.BytesIO(data), formats=list(PIL_FORMATS[pil_format])) as probe:
        if probe.format not in PIL_FORMATS[pil_format]:
            raise Refused(BROKEN)
        width, height = probe.size
        pixels = width * height
        facts = {"width": _number(width), "height": _number(height), "megapixels": _number(pixels / 1_000_000)}
        if pixels > limits.max_pixels:
            raise Refused(TOO_MANY_PIXELS, **facts, limit=_number(limits.max_pixels / 1_000_000))
        frames = getattr(probe, "n_frames", 1)
        if frames > 1 and probe.format != "MPO":  # MPO: the photo comes first, the depth map is not decoded
            raise Refused(ANIMATED, frames=_number(frames))
        scale = _decode_scale(probe, data, limits)
        if scale is None:
            per_pixel = decode_cost(probe, data, _largest_scale(probe)) / pixels
            raise Refused(TOO_COSTLY, **facts, kind=_kind(probe),
                          limit=_number(min(limits.decode_budget / per_pixel, limits.max_pixels) / 1_000_000),
                          photo_limit=_number(limits.max_pixels / 1_000_000))
        probe.verify()  # PNG: every chunk's checksum, without decompressing
    return scale


def _largest_scale(image) -> int:
    return JPEG_SCALES[-1] if image.format in ("JPEG", "MPO") else 1


def _decode_scale(image, data: bytes, limits: Limits) -> int | None:
    """The JPEG scale (1 = full size) to decode at: no smaller than the stored size needs, and
    small enough to fit the memory budget. None: not even the smallest fits."""
    if image.format not in ("JPEG", "MPO"):
        return 1 if decode_cost(image, data, 1) <= limits.decode_budget else None
    longest = max(image.size)
    wanted = max((s for s in JPEG_SCALES if math.ceil(longest / s) >= MAX_SIDE), default=1)
    return next((s for s in JPEG_SCALES if s >= wanted and decode_cost(image, data, s) <= limits.decode_budget), None)


def decode_cost(image, data: bytes, scale: int) -> int:
    """Bytes held while `image` (opened, not loaded) is decoded at 1/scale and brought into a
    mode we store; measured with Pillow 10–13, libjpeg-turbo and libwebp."""
    width, height = math.ceil(image.width / scale), math.ceil(image.height / scale)
    pixels = width * height
    if image.format == "WEBP":
        # Pillow decodes WebP through libwebp's animation decoder: its canvas, the previous
        # canvas, the bytes handed to Pillow and the image, 4 bytes per pixel each.
        return pixels * 16
    per_pixel = _pixel_bytes(image.mode)
    if image.mode not in KEPT_MODES:
        per_pixel += 4  # converted to RGB(A): a second image
    # At least four bytes, as for colour: a grey or two-colour picture must not pass at four times
    # the pixels (one limit per format is what people can be told), and costs enough anyway.
    cost = pixels * max(per_pixel, 4)
    if image.format in ("JPEG", "MPO") and _jpeg_keeps_coefficients(image, data):
        cost += _jpeg_coefficient_bytes(image)
    return cost


def _pixel_bytes(mode: str) -> int:
    # Pillow keeps one byte per pixel for these, two for 16-bit grey, four for everything else.
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def _jpeg_keeps_coefficients(image, data: bytes) -> bool:
    """Progressive JPEGs, and those whose first scan lacks components, are decoded with every
    DCT coefficient of the whole picture in memory, at any scale."""
    if image.info.get("progressive") or image.info.get("progression"):
        return True
    components = _first_scan_components(data)
    return components is None or components < image.layers


def _jpeg_coefficient_bytes(image) -> int:
    h_max = max(h for _, h, _, _ in image.layer)
    v_max = max(v for _, _, v, _ in image.layer)
    mcus = math.ceil(image.width / (8 * h_max)) * math.ceil(image.height / (8 * v_max))
    blocks = mcus * sum(h * v for _, h, v, _ in image.layer)
    return blocks * 64 * 2  # 64 coefficients of 2 bytes per 8×8 block


def _first_scan_components(data: bytes) -> int | None:
    """How many components the first scan (SOS) of a JPEG carries, from its marker segments."""
    i = 2
    while i + 4 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker == 0xDA:
            return data[i + 4]
        i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    return None


def _kind(image) -> str:
    if image.format in ("JPEG", "MPO"):
        return str(_l("JPEG, progressiv"))
    return FORMAT_NAMES[image.format]


def _convert(data: bytes, pil_format: str, scale: int, content_type: str) -> CleanFile:
    """Decode (at 1/scale for JPEG), shrink to MAX_SIDE, turn upright, store without metadata."""
    with Image.open(io.BytesIO(data), formats=list(PIL_FORMATS[pil_format])) as source:
        if scale > 1:
            source.draft(source.mode, (max(1, source.width // scale), max(1, source.height // scale)))
        source.load()
        image = source
        if image.mode not in KEPT_MODES:
            image = image.convert("RGB" if pil_format == "JPEG" else "RGBA")
        if max(image.size) > MAX_SIDE:
            # Shrink before turning: the box is square, so the order does not matter, and the
            # turned copy is then the small one.
            image = image.resize(_fit(image.size, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        ImageOps.exif_transpose(image, in_place=True)  # keep the orientation, drop the metadata
        # Only the pixels are written: GPS position, camera, time, comments and profiles stay behind
        # (Pillow's writers take some of them from `info` unless it is empty).
        image.info = {}
        out = io.BytesIO()
        # No optimize=True for JPEG: its second pass holds every coefficient (+40 MB and 2.5× the
        # time for a 12 MP photo) to save 4 % of the file.
        image.save(out, format=pil_format, **({"quality": 88} if pil_format == "JPEG" else {}))
        preview = image.resize(_fit(image.size, PREVIEW_SIZE[0]), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if preview.mode != "RGB":
            preview = preview.convert("RGB")
        thumb = io.BytesIO()
        preview.save(thumb, format="JPEG", quality=80)
        return CleanFile(content_type, out.getvalue(), thumb.getvalue(), image.width, image.height)


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    factor = min(side / width, side / height, 1)
    return max(1, round(width * factor)), max(1, round(height * factor))


def _number(value: float) -> str:
    """12,2 in German, 12.2 in English; outside a request (demo data) plainly."""
    if has_request_context():
        return format_decimal(value, format="#,##0.#")
    return f"{value:.1f}".rstrip("0").rstrip(".")


def stored_name(uploaded: str, extension: str) -> str:
    """An uploaded file's name as people wrote it („Übersicht Träger.pdf“: umlauts and spaces
    kept, where werkzeug's secure_filename made „Ubersicht_Trager.pdf“), safe to store, show and
    send: no path, only letters, digits, spaces and - _ ( ), nothing that turns text around (a
    right-to-left override shows „Foto<RLO>gpj.exe“ as „Fotoexe.jpg“), at most 80 characters before the
    extension that the content check chose."""
    stem = unicodedata.normalize("NFC", uploaded.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
    stem = "".join(c if c.isalnum() or c in "-_()" else " " for c in stem)
    return f"{' '.join(stem.split())[:80].strip() or 'datei'}.{extension}"
