"""Uploads with bounded cost: pixel bombs are refused from their header, before any decoding;
phone photos pass (large JPEGs decoded at a smaller scale); only a few images are converted at
once; and against a real gunicorn, a burst of bombs leaves memory and /healthz alone."""
import io
import os
import statistics
import struct
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from fh_intranet import config
from fh_intranet.changes import Refused
from fh_intranet.workshops import files
from fh_intranet.workshops.models import Attachment, Output

from .conftest import csrf_from
from .html_forms import form_posting_to
from .servers import Browserless, gunicorn

MB = 1024 * 1024


# --- images ------------------------------------------------------------------------------------

def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int, height: int | None = None, *, bit_depth: int = 1, color_type: int = 0,
             rows: int | None = None) -> bytes:
    """A PNG of `width` × `height` black pixels, compressed as far as zlib goes (6320 × 6320 at
    one bit per pixel: under 5 KB). `rows` limits the image data actually written (a header that
    promises more than the file holds is the cheapest bomb of all)."""
    height = height or width
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    row = b"\x00" * (1 + (width * bit_depth * channels + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height if rows is None else rows)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def saved(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return buffer.getvalue()


def phone_photo(size=(4000, 3000), *, orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: 12 MP of detail (about 5 MB), EXIF with GPS position."""
    width, height = size
    light = Image.linear_gradient("L").resize(size)
    grain = Image.effect_noise(size, 40)
    image = Image.merge("RGB", (Image.blend(light, grain, 0.5), Image.blend(light.rotate(90), grain, 0.3), grain))
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    if orientation:
        exif[0x0112] = orientation
    return saved(image, "JPEG", quality=90, exif=exif)


@pytest.fixture
def decoded(monkeypatch):
    """The size of every image Pillow decodes (WebP's load ends in the same method): empty means
    nothing was decoded."""
    sizes = []
    original = ImageFile.ImageFile.load

    def load(self):
        pending = bool(self.tile)  # loading an image that is already decoded does nothing
        result = original(self)
        if pending:
            sizes.append(self.size)
        return result

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


def upload(client, workshop, *files, text="Ergebnis vom Tisch"):
    url = f"/thementische/{workshop.id}/ergebnis"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "text": text, "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(url, data=data, content_type="multipart/form-data")


def refusal(data: bytes, limits: files.Limits | None = None) -> Refused:
    with pytest.raises(Refused) as refused:
        files.clean(data, limits)
    return refused.value


# --- refused from the header ------------------------------------------------------------------------

def test_a_5_kb_png_of_6320_by_6320_pixels_is_refused_before_decoding(decoded):
    bomb = bomb_png(6320)
    assert len(bomb) < 5 * 1024
    refused = refusal(bomb)
    assert refused.code == "workshops.image_memory"
    assert "6320 × 6320 Bildpunkte (39.9 Megapixel)" in refused.message
    assert "PNG) dürfen höchstens 13.4 Megapixel haben; JPEG-Fotos bis 50 Megapixel" in refused.message
    assert decoded == []


@pytest.mark.parametrize("label, make, code", [
    ("grey 6320²", lambda: bomb_png(6320, bit_depth=8), "workshops.image_memory"),
    ("colour 6320²", lambda: bomb_png(6320, bit_depth=8, color_type=2, rows=10), "workshops.image_memory"),
    ("colour 4200² with alpha", lambda: bomb_png(4200, color_type=6, bit_depth=8, rows=10), "workshops.image_memory"),
    ("100 megapixels", lambda: bomb_png(10000, rows=10), "workshops.image_pixels"),
    ("400 megapixels", lambda: bomb_png(20000, rows=10), "workshops.image_bomb"),
    ("10^10 pixels", lambda: bomb_png(100_000, rows=1), "workshops.image_bomb"),
    ("WebP 2500²", lambda: saved(Image.new("RGB", (2500, 2500)), "WEBP"), "workshops.image_memory"),
    ("progressive JPEG 6000²", lambda: saved(Image.new("L", (6000, 6000), 128), "JPEG", progressive=True),
     "workshops.image_memory"),
    ("animated PNG", lambda: saved(Image.new("RGB", (60, 40)), "PNG", save_all=True,
                                   append_images=[Image.new("RGB", (60, 40), "red")] * 50), "workshops.image_animated"),
    ("animated WebP", lambda: saved(Image.new("RGB", (60, 40)), "WEBP", save_all=True,
                                    append_images=[Image.new("RGB", (60, 40), "red")]), "workshops.image_animated"),
])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_larger_bombs_are_refused_before_decoding(decoded, label, make, code):
    assert refusal(make()).code == code, label
    assert decoded == [], label


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_counts_as_an_error(decoded):
    """Beyond Pillow's own threshold (89 MP) the image is refused even if the setting allows more,
    also where warnings are raised as exceptions."""
    refused = refusal(bomb_png(10000, rows=10), files.Limits(megapixels=500))
    assert refused.code == "workshops.image_bomb" and "höchstens 89.5 Megapixel" in refused.message
    assert decoded == []


def test_the_limits_come_from_configuration(tmp_path, decoded):
    defaults = config.from_environment(tmp_path, {"FH_ENV": "test"})
    assert (defaults["UPLOAD_MAX_MEGAPIXELS"], defaults["UPLOAD_MAX_DECODED_MB"], defaults["UPLOAD_CONVERSIONS"]) == (50, 64, 2)
    chosen = config.from_environment(tmp_path, {"FH_ENV": "test", "UPLOAD_MAX_MEGAPIXELS": "8",
                                                "UPLOAD_MAX_DECODED_MB": "16", "UPLOAD_CONVERSIONS": "1"})
    limits = files.Limits.from_config(chosen)
    assert limits == files.Limits(megapixels=8, decoded_mb=16, conversions=1)
    photo = saved(Image.new("RGB", (3000, 3000), "white"), "JPEG")  # 9 MP
    assert refusal(photo, limits).code == "workshops.image_pixels"
    assert files.clean(photo).width == 3000
    png = saved(Image.new("RGB", (2100, 2100), "white"), "PNG")  # 4.4 MP: 17.6 MB decoded
    assert refusal(png, limits).code == "workshops.image_memory"
    assert files.clean(png).width == 2100


# --- photos pass ------------------------------------------------------------------------------------

def test_a_12_megapixel_phone_photo_passes_upright_and_without_exif(decoded):
    clean = files.clean(phone_photo(orientation=6))  # held sideways: turned on display
    assert decoded == [(4000, 3000)]  # decoded once, at full size: it is stored at full size
    assert (clean.width, clean.height) == (3000, 4000)
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG" and stored.size == (3000, 4000)
    assert not stored.getexif() and "exif" not in stored.info
    assert max(Image.open(io.BytesIO(clean.preview)).size) == 480


def test_a_50_megapixel_photo_is_decoded_at_half_size(decoded):
    photo = saved(Image.linear_gradient("L").resize((8160, 6120)), "JPEG", quality=80)
    clean = files.clean(photo)
    assert decoded == [(4080, 3060)]  # 12.5 MP decoded, never 50
    assert (clean.width, clean.height) == (4080, 3060)
    baseline = saved(Image.new("L", (6000, 6000), 128), "JPEG")  # the same size as the refused progressive one
    assert files.clean(baseline).width == 3000


def test_a_phone_photo_with_a_depth_map_passes():
    """Some phones write MPO: a JPEG followed by further pictures. The first one is the photo."""
    photo = Image.new("RGB", (800, 600), "red")
    mpo = saved(photo, "MPO", save_all=True, append_images=[Image.new("RGB", (800, 600), "blue")])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"
    clean = files.clean(mpo)
    assert clean.content_type == "image/jpeg" and (clean.width, clean.height) == (800, 600)
    assert Image.open(io.BytesIO(clean.data)).getpixel((400, 300))[0] > 200


def test_large_pictures_are_stored_at_most_4096_pixels_long_without_metadata():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}
    text = PngInfo()
    text.add_text("Comment", "bei Familie Muster")
    png = saved(Image.new("RGB", (4800, 1200), "white"), "PNG", pnginfo=text, exif=exif)
    clean = files.clean(png)
    assert (clean.width, clean.height) == (4096, 1024)
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "PNG" and "Comment" not in stored.info and "exif" not in stored.info
    webp = files.clean(saved(Image.new("RGB", (1600, 1200), "white"), "WEBP", exif=exif.tobytes()))
    assert (webp.width, webp.height) == (1600, 1200) and "exif" not in Image.open(io.BytesIO(webp.data)).info


# --- through the output form ------------------------------------------------------------------------

def test_a_refused_bomb_names_the_limit_in_german_and_nothing_is_stored(client_as, workshops):
    client = client_as("member")
    before = Output.select().count(), Attachment.select().count()
    response = upload(client, workshops["future"]["workshop"], ("flipchart.png", bomb_png(6320)), text="Mein Text")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "„flipchart.png“: Das Bild ist zu groß zum Verarbeiten: 6.320 × 6.320 Bildpunkte (39,9 Megapixel)." in html
    assert "dürfen höchstens 13,4 Megapixel haben; JPEG-Fotos bis 50 Megapixel." in html
    assert "Mein Text</textarea>" in html
    assert (Output.select().count(), Attachment.select().count()) == before


def test_a_phone_photo_is_stored_through_the_form(client_as, workshops):
    client = client_as("member")
    response = upload(client, workshops["future"]["workshop"], ("flipchart.jpg", phone_photo()))
    assert response.status_code == 303
    stored = Attachment.select().order_by(Attachment.id.desc()).first()
    assert (stored.width, stored.height, stored.content_type) == (4000, 3000, "image/jpeg")


def test_the_megapixel_setting_applies_and_is_named(app, client_as, workshops):
    app.config["UPLOAD_MAX_MEGAPIXELS"] = 8
    response = upload(client_as("member"), workshops["future"]["workshop"], ("foto.jpg", phone_photo()))
    assert response.status_code == 422
    assert ("„foto.jpg“: Das Bild ist zu groß: 4.000 × 3.000 Bildpunkte (12 Megapixel). "
            "Erlaubt sind höchstens 8 Megapixel.") in response.get_data(as_text=True)


def test_when_all_conversion_slots_are_taken_the_upload_is_refused_with_try_again(app, client_as, workshops,
                                                                                    monkeypatch):
    app.config["UPLOAD_CONVERSIONS"] = 1
    monkeypatch.setattr(files, "SLOT_WAIT_SECONDS", 0.2)
    slots = files.conversion_slots(1)
    client = client_as("member")
    workshop = workshops["future"]["workshop"]
    small = saved(Image.new("RGB", (40, 30), "green"), "PNG")
    before = Output.select().count(), Attachment.select().count()
    assert slots.acquire(timeout=30)  # another request is converting
    try:
        started = time.monotonic()
        busy = upload(client, workshop, ("a.png", small), ("b.png", small), text="Bleibt stehen")
        waited = time.monotonic() - started
    finally:
        slots.release()
    html = busy.get_data(as_text=True)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "60"
    assert "„a.png“: Gerade werden viele Fotos gleichzeitig verarbeitet." in html and "„b.png“" not in html
    assert "Bleibt stehen</textarea>" in html
    assert waited < 30  # it gave up after its wait, it did not hang
    assert (Output.select().count(), Attachment.select().count()) == before
    assert upload(client, workshop, ("a.png", small), text="Jetzt").status_code == 303  # the slot is free again


def test_a_bomb_does_not_wait_for_a_conversion_slot(app, monkeypatch):
    """Refusals come from the header: they need no slot, so bombs cannot crowd out photos."""
    monkeypatch.setattr(files, "SLOT_WAIT_SECONDS", 30)
    slots = files.conversion_slots(1)
    assert slots.acquire(timeout=30)
    try:
        started = time.monotonic()
        assert refusal(bomb_png(6320), files.Limits(conversions=1)).code == "workshops.image_memory"
        assert time.monotonic() - started < 10
    finally:
        slots.release()


# --- against a real server --------------------------------------------------------------------------

PARALLEL = 8
ROUNDS = 6


def _bombs() -> list[tuple[str, bytes]]:
    return [("bombe.png", bomb_png(6320)), ("bombe-grau.png", bomb_png(6320, bit_depth=8)),
            ("bombe-gross.png", bomb_png(20000, rows=20)),
            ("bombe.jpg", saved(Image.new("L", (6000, 6000)), "JPEG", progressive=True))]


def _server_pids(base: str) -> list[int]:
    """gunicorn's master and workers: all of them carry the bind address on their command line."""
    needle = f"127.0.0.1:{base.rsplit(':', 1)[1]}".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if b"gunicorn" in (line := cmdline.read()) and needle in line:
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def _memory(pids: list[int], field: str = "VmRSS") -> int:
    """Sum of `field` (VmRSS now, VmHWM peak) over `pids`, in bytes."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            total += next(int(line.split()[1]) * 1024 for line in status if line.startswith(field + ":"))
    return total


def _reset_peaks(pids: list[int]) -> bool:
    """Restart VmHWM at the current RSS (Linux clear_refs 5); False where that is not allowed."""
    try:
        for pid in pids:
            with open(f"/proc/{pid}/clear_refs", "w") as clear:
                clear.write("5")
        return True
    except OSError:
        return False


def test_parallel_pixel_bombs_leave_memory_and_healthz_alone(app, database_url, tmp_path, people, workshops):
    workshop = workshops["future"]["workshop"]
    path = f"/thementische/{workshop.id}/ergebnis"
    bombs = _bombs()
    with gunicorn(app, database_url, tmp_path, workers=2) as base:
        pids = _server_pids(base)
        assert len(pids) == 3, pids  # master and two workers
        members = [Browserless(app, base, people["member"]) for _ in range(PARALLEL)]

        def send_bomb(member, name, data):
            form = form_posting_to(member.get(path).text, path, path)
            return member.http.post(base + path, data=form.data(text="Ergebnis"), files={"files": (name, data)},
                                    timeout=120, allow_redirects=False)

        # Warm up: every worker has served the form and refused a bomb (imports, caches, pools).
        for member in members:
            warm = send_bomb(member, *bombs[0])
            assert warm.status_code == 422, warm.text[:500]
        time.sleep(0.5)
        baseline = _memory(pids)
        peaks_reset = _reset_peaks(pids)

        done = threading.Event()
        rss_samples, health_times, health_codes = [], [], []

        def sample_memory():
            while not done.is_set():
                rss_samples.append(_memory(pids))
                time.sleep(0.02)

        def check_health():
            # Several checks over the whole burst, judged by their median (the 1 s): one
            # sample alone could catch an unrelated hiccup of this shared 2-core machine. A stall
            # like the (25 s; 14 s here before uploads were bounded) is one long sample,
            # which the median would hide: the slowest must still stay far below that.
            while not done.is_set() or len(health_times) < 5:
                started = time.monotonic()
                health_codes.append(requests.get(base + "/healthz", timeout=60).status_code)
                health_times.append(time.monotonic() - started)
                time.sleep(0.1)

        def attack(member):
            return [send_bomb(member, *bombs[round_ % len(bombs)]) for round_ in range(ROUNDS)]

        watchers = [threading.Thread(target=sample_memory), threading.Thread(target=check_health)]
        for watcher in watchers:
            watcher.start()
        try:
            with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
                answers = [a for batch in pool.map(attack, members) for a in batch]
        finally:
            done.set()
            for watcher in watchers:
                watcher.join(timeout=120)
        peak = max(rss_samples + [_memory(pids)])
        if peaks_reset:
            peak = max(peak, _memory(pids, "VmHWM"))  # catches spikes between samples

    assert len(answers) == PARALLEL * ROUNDS
    assert {a.status_code for a in answers} == {422}, [a.status_code for a in answers]
    assert all("Megapixel" in a.text for a in answers)
    grown = (peak - baseline) / MB
    median = statistics.median(health_times)
    print(f"\n{len(answers)} bombs: memory {baseline / MB:.0f} MB → peak +{grown:.1f} MB; "
          f"/healthz median {median * 1000:.0f} ms over {len(health_times)} checks (max {max(health_times):.2f} s)")
    assert grown < 200, f"gunicorn grew by {grown:.0f} MB"
    assert set(health_codes) == {200}
    assert median < 1.0, health_times
    assert max(health_times) < 10, health_times
    assert Output.select().where(Output.workshop == workshop).count() == 1  # the fixture's own


def test_a_body_too_large_from_our_own_page_is_refused_in_german(app, client_as, workshops):
    """The refusal page gives back a form's typed texts where it can read them; a body refused for
    its size cannot be read again (it raised once more: a 500 instead of the 413)."""
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = client_as("member").post(
        f"/thementische/{workshops['future']['workshop'].id}/ergebnis",
        data={"text": "Ergebnis", "files": [(io.BytesIO(b"%PDF" + b"0" * 5000), "gross.pdf")]},
        content_type="multipart/form-data", headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 413
    assert "Die gesendeten Dateien sind zusammen zu groß." in response.get_data(as_text=True)
