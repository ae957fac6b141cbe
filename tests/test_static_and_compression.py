"""Compressed answers and static files with content-hashed, immutable URLs (old plain URLs still work)."""
import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import Flask, Response, url_for

from fh_intranet import compression, static_files, templating
from fh_intranet.agreements import workflow

from .agreement_fixtures import TEXT

ROOT = Path(__file__).resolve().parent.parent
HX = {"HX-Request": "true"}
GZIP = {"Accept-Encoding": "gzip"}
TOKEN = re.compile(r'("X-CSRFToken": "|name="csrf_token" value=")[^"]+')
# Headers every answer carries, whoever sends it (Flask or WhiteNoise); the rest describe the body.
PER_BODY = {"Content-Type", "Content-Length", "Content-Encoding", "Cache-Control", "Vary", "Set-Cookie",
            "ETag", "Last-Modified", "Content-Disposition"}


def same_page(a: str, b: str) -> bool:
    """Equal apart from the CSRF token, which carries a timestamp."""
    return TOKEN.sub(r"\1…", a) == TOKEN.sub(r"\1…", b)


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_page_comes_gzip_encoded_and_decodes_to_the_same_html(client_as):
    client = client_as("member")
    plain = client.get("/")
    packed = client.get("/", headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers  # a client that does not ask gets plain HTML
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"] and "HX-Request" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert same_page(gzip.decompress(packed.data).decode(), plain.get_data(as_text=True))
    assert packed.headers["Cache-Control"] == "private, no-store"
    assert "default-src 'self'" in packed.headers["Content-Security-Policy"]


def test_brotli_is_preferred_when_offered(client_as):
    client = client_as("member")
    plain = client.get("/").get_data(as_text=True)
    packed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert same_page(brotli.decompress(packed.data).decode(), plain)
    refused = client.get("/", headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["Content-Encoding"] == "gzip"


def test_htmx_fragment_is_compressed_too(client_as, people, agreements):
    agreement = agreements["draft"]
    longer = TEXT + "\n".join(f"\n## § {n} Abschnitt\n\nDie Partner vereinbaren Schritt {n} gemeinsam." for n in range(3, 30))
    workflow.save_version(agreement, base_number=1, text=longer, change_note="länger", author=people["coordinator"])
    client = client_as("member")
    url = f"/vereinbarungen/{agreement.id}/vergleich?von=1&bis=2"
    plain = client.get(url, headers=HX)
    packed = client.get(url, headers={**HX, **GZIP})
    assert '<section id="diff"' in plain.get_data(as_text=True) and "<html" not in plain.get_data(as_text=True)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert same_page(gzip.decompress(packed.data).decode(), plain.get_data(as_text=True))


def test_small_answers_and_other_sites_requests_stay_uncompressed(client, client_as):
    health = client.get("/healthz", headers=GZIP)
    assert health.status_code == 200 and "Content-Encoding" not in health.headers
    assert "Accept-Encoding" in health.headers["Vary"]
    # BREACH: requests another site makes the browser send are answered uncompressed, so their
    # sizes tell nothing about the secrets in the page.
    member = client_as("member")
    cross = member.get("/", headers={**GZIP, "Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 200 and "Content-Encoding" not in cross.headers
    assert "<html" in cross.get_data(as_text=True)
    own = member.get("/", headers={**GZIP, "Sec-Fetch-Site": "same-origin"})
    assert own.headers["Content-Encoding"] == "gzip"


def _unstamped(data: bytes) -> bytes:
    """A calendar's DTSTAMP is the moment it was made: two requests may fall in two seconds."""
    return b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"DTSTAMP:"))


def test_exports_compress_and_pdfs_and_images_are_not_compressed_twice(client_as, route_objects):
    client = client_as("member")
    for url in ("/aufgaben.csv", "/beschluesse.csv", f"/kalender/{route_objects['feed']}.ics"):
        plain = client.get(url)
        packed = client.get(url, headers=GZIP)
        assert plain.status_code == packed.status_code == 200, url
        assert "Accept-Encoding" in packed.headers["Vary"], url
        if len(plain.data) >= 500:
            assert packed.headers["Content-Encoding"] == "gzip", url
            assert _unstamped(gzip.decompress(packed.data)) == _unstamped(plain.data), url
        else:
            assert "Content-Encoding" not in packed.headers, url
        assert packed.headers["Cache-Control"] == "private, no-store", url
    own_data = client.get("/konto/export", headers=GZIP)  # a ZIP is compressed already
    assert own_data.mimetype == "application/zip" and "Content-Encoding" not in own_data.headers
    assert own_data.headers["Cache-Control"] == "private, no-store" and own_data.data.startswith(b"PK")
    pdf = client.get(f"/sitzungen/{route_objects['published_meeting']}/pdf", headers=GZIP)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Content-Encoding" not in pdf.headers and pdf.data.startswith(b"%PDF")
    photo = client.get(f"/dateien/{route_objects['past_photo']}", headers=GZIP)
    assert photo.status_code == 200 and photo.mimetype.startswith("image/")
    assert "Content-Encoding" not in photo.headers


def test_pages_reference_hashed_static_urls_cached_for_a_year(client):
    page = client.get("/anmelden").get_data(as_text=True)
    urls = static_urls(page)
    names = {re.sub(r"\.[0-9a-f]{12}(?=\.\w+$)", "", url.removeprefix("/static/")) for url in urls}
    assert names == {"kern.css", "app.css", f"htmx-{templating.HTMX_VERSION}.min.js", "forms.js", "navigation.js"}
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        source = ROOT / "static" / re.sub(r"\.[0-9a-f]{12}(?=\.\w+$)", "", url.removeprefix("/static/"))
        assert response.data == source.read_bytes()
        packed = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert packed.headers["Content-Encoding"] == "br" and brotli.decompress(packed.data) == source.read_bytes()
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert client.get(url, headers=GZIP).headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", ["/static/app.css", f"/static/htmx-{templating.HTMX_VERSION}.min.js"])
def test_old_plain_static_urls_still_answer_with_short_caching(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == (ROOT / url.lstrip("/")).read_bytes()
    cache = response.headers["Cache-Control"]
    assert "immutable" not in cache and "no-store" not in cache and "max-age=60" in cache


def test_static_files_carry_the_security_headers_of_pages(client):
    page = client.get("/anmelden")
    page_headers = {name: value for name, value in page.headers.items() if name not in PER_BODY}
    assert "Content-Security-Policy" in page_headers and "X-Content-Type-Options" in page_headers
    for url in static_urls(page.get_data(as_text=True)) + ["/static/app.css"]:
        response = client.get(url)
        static_headers = dict(response.headers.items())
        for name, value in page_headers.items():
            assert static_headers.get(name) == value, (url, name)
        assert "Access-Control-Allow-Origin" not in static_headers


def test_hashed_names_follow_the_content(tmp_path):
    """In development an edited file gets a new name at once; the old hashed URL keeps its old
    content (a page cached before the change still looks right)."""
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black; }\n" * 40)
    (source / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    app = Flask("probe", static_folder=str(source), instance_path=str(tmp_path / "instance"))
    app.config.update(ENV_NAME="development", PREFERRED_URL_SCHEME="http", SERVER_NAME="probe.test")
    static_files.StaticFiles(app)
    client = app.test_client()
    with app.app_context():
        first = url_for("static", filename="css/site.css")
        logo = url_for("static", filename="logo.png")
    assert re.fullmatch(r"http://probe\.test/static/css/site\.[0-9a-f]{12}\.css", first)
    assert client.get(first).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(first, headers=GZIP).headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get(logo, headers=GZIP).headers  # PNG: compressed already

    (source / "css" / "site.css").write_text("body { color: navy; }\n" * 40)
    with app.app_context():
        second = url_for("static", filename="css/site.css")
    assert second != first
    assert b"navy" in client.get(second).data
    assert b"black" in client.get(first).data
    assert b"navy" in client.get("/static/css/site.css").data


def test_streamed_answers_are_compressed_as_they_flow():
    app = Flask("probe")
    compression.init_app(app)
    closed = []

    def rows():
        try:
            for n in range(2000):
                yield f"{n};Zeile {n};offen\n"
        finally:
            closed.append(True)

    @app.get("/rows.csv")
    def export():
        return Response(rows(), mimetype="text/csv")

    response = app.test_client().get("/rows.csv", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip" and "Content-Length" not in response.headers
    text = gzip.decompress(response.data).decode()
    assert text.startswith("0;Zeile 0;offen\n") and text.endswith("1999;Zeile 1999;offen\n")
    response.close()
    assert closed
