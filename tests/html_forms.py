"""Read the forms of a page as a browser would submit them (no JavaScript)."""
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every named control, ticked or not

    def data(self, **changes) -> dict:
        """What the browser sends, with `changes` replacing (or adding) values; a list value sends several."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in changes.items():
            data[name] = value if isinstance(value, list) else [value]
        return data

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.current = Form(action=urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query else ""),
                                method=(a.get("method") or "get").upper())
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            self.current.names.add(name)
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.current.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "button" and name:
            self.current.names.add(name)
        elif tag == "select" and name:
            self.current.names.add(name)
            self.select = (name, [])
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self.current.names.add(name)
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None and self.select is not None:
            value, selected, text = self.option
            self.select[1].append((value if value is not None else text.strip(), selected))
            self.option = None
        elif tag == "select" and self.select is not None and self.current is not None:
            name, options = self.select
            chosen = [value for value, selected in options if selected] or [value for value, _ in options[:1]]
            self.current.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.current is not None:
            name, parts = self.textarea
            text = "".join(parts)
            # Browsers drop the one line break that follows <textarea> (WTForms writes \r\n).
            for lead in ("\r\n", "\n"):
                if text.startswith(lead):
                    text = text[len(lead):]
                    break
            self.current.fields.append((name, text))
            self.textarea = None
        elif tag == "form":
            self.current = None


def forms_of(html: str, page_url: str = "/") -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, action: str, page_url: str = "/") -> Form:
    """The page's form whose action is `action` (a path)."""
    found = [f for f in forms_of(html, page_url) if f.method == "POST" and f.action.split("#")[0] == action]
    assert found, f"no POST form to {action} on {page_url}"
    return found[0]
