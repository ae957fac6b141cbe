"""A first visit of any page costs at most 6 requests and 100 KB on the wire; the next page, one request.

Measured in Chromium through the DevTools protocol: bytes are what crossed the network (compressed
bodies plus headers), and a file the browser took from its cache is not a request to the server.
"""
import pytest

from fh_intranet.agreements.models import Agreement
from fh_intranet.meetings.models import Meeting
from fh_intranet.topics.models import VotingRound

from .browser_helpers import log_in

pytestmark = pytest.mark.browser

MAX_REQUESTS = 6
MAX_BYTES = 100_000


class Network:
    """What the page fetched since the last `reset()`: requests to the server and bytes transferred."""

    def __init__(self, context, page):
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.sent, self.cached, self.bytes = {}, set(), {}
        self.session.on("Network.requestWillBeSent", lambda e: self.sent.__setitem__(e["requestId"], e["request"]["url"]))
        self.session.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.session.on("Network.loadingFinished",
                        lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def reset(self):
        self.sent.clear(), self.cached.clear(), self.bytes.clear()

    @property
    def requests(self) -> list[str]:
        return [url for request_id, url in self.sent.items()
                if request_id not in self.cached and self.bytes.get(request_id, 0) > 0]

    @property
    def transferred(self) -> int:
        return sum(size for request_id, size in self.bytes.items() if request_id not in self.cached)


def pages_of_every_kind():
    agreement = Agreement.select().order_by(Agreement.id.desc()).get()
    meeting = Meeting.select().where(Meeting.published_at.is_null(False)).get()
    round_ = VotingRound.select().get()
    return ["/", "/vereinbarungen/", f"/vereinbarungen/{agreement.id}", "/sitzungen/", f"/sitzungen/{meeting.id}",
            "/aufgaben/", "/beschluesse/", "/abstimmungen/", f"/abstimmungen/{round_.id}", "/themen/",
            "/gremien/", "/personen/", "/organisationen/", "/kalender/", "/suche/?q=Geburt",
            "/benachrichtigungen/", "/konto/", "/protokoll/", "/barrierefreiheit/"]


def test_first_visit_weight_and_one_request_for_the_next_page(browser, live_server, demo_data):
    login_context = browser.new_context(base_url=live_server)
    log_in(login_context.new_page(), "coordinator")
    signed_in = login_context.storage_state()
    login_context.close()
    too_heavy = []
    for path in ["/anmelden", *pages_of_every_kind()]:
        context = browser.new_context(base_url=live_server, storage_state=None if path == "/anmelden" else signed_in)
        try:
            page = context.new_page()
            network = Network(context, page)
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            page.wait_for_load_state("networkidle")
            if len(network.requests) > MAX_REQUESTS or network.transferred > MAX_BYTES:
                too_heavy.append(f"{path}: {len(network.requests)} requests, {network.transferred} bytes")
            network.reset()
            page.goto("/barrierefreiheit/" if path != "/barrierefreiheit/" else "/anmelden")
            page.wait_for_load_state("networkidle")
            assert len(network.requests) == 1, (path, network.requests)
        finally:
            context.close()
    assert not too_heavy, "\n".join(too_heavy)
