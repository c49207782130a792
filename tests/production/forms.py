"""Fill in a server-rendered form the way a browser would: read every field's current value
from the page, change some, post the lot. Keeps the production tests independent of which
fields a form happens to have."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._select_first = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and not attrs.get("disabled"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((name, attrs.get("value", default)))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self._select_chosen = []
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select_chosen.append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            chosen = self._select_chosen
            if not chosen and not self._multiple and self._select_first is not None:
                chosen = [self._select_first]
            for value in chosen:
                self._form["fields"].append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def form_values(html: str, *, contains: str = "csrfmiddlewaretoken") -> dict:
    """The fields of the largest POST form on the page that has a field named `contains`
    (the largest, so the edit form wins over the logout and language buttons). Repeated
    names (multi-selects) give lists."""
    parser = _FormParser()
    parser.feed(html)
    candidates = [
        form
        for form in parser.forms
        if (form["attrs"].get("method") or "get").lower() == "post"
        and contains in [name for name, _ in form["fields"]]
    ]
    if not candidates:
        raise AssertionError(f"no POST form with a field {contains!r} on the page")
    form = max(candidates, key=lambda f: len(f["fields"]))
    values: dict = {}
    for name, value in form["fields"]:
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values
