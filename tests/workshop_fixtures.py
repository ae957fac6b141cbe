"""A past Fachtag and an upcoming one, with Thementische, outputs and files."""
import io
from datetime import timedelta

import pytest
from PIL import Image

from fh_intranet.db import utcnow
from fh_intranet.workshops import files
from fh_intranet.workshops.models import Attachment, Output, Workshop

from .meeting_fixtures import make_meeting


def jpeg_with_gps() -> bytes:
    """A JPEG carrying EXIF with a GPS position, as phone cameras write it."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def pdf_bytes(text: str = "Ergebnisse") -> bytes:
    """A small, whole PDF (fpdf2), as a PDF program writes one."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def attach(output, data, name="foto.jpg"):
    clean = files.clean(data)
    return Attachment.create(output=output, filename=name, content_type=clean.content_type, size=len(clean.data),
                             data=clean.data, preview=clean.preview, width=clean.width, height=clean.height,
                             uploaded_by=output.author)


@pytest.fixture
def workshops(body, people):
    past = make_meeting(body, "Fachtag vorbei", starts=utcnow() - timedelta(days=10))
    future = make_meeting(body, "Fachtag kommt", starts=utcnow() + timedelta(days=10))
    result = {}
    for key, meeting in (("past", past), ("future", future)):
        workshop = Workshop.create(meeting=meeting, title=f"Thementisch {key}", position=1)
        output = Output.create(workshop=workshop, text=f"Ergebnis {key}", author=people["member"])
        result[key] = {"meeting": meeting, "workshop": workshop, "output": output,
                       "photo": attach(output, jpeg_with_gps())}
    return result
