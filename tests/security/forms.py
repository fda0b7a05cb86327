"""Find the forms a page offers (action, fields and their current values) in its HTML."""

from html.parser import HTMLParser
from urllib.parse import urljoin


class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: dict[str, list[str]] = {}
        self.choices: dict[str, list[str]] = {}
        self.types: dict[str, str] = {}

    def add(self, name, value, kind="text"):
        self.fields.setdefault(name, []).append(value)
        self.types.setdefault(name, kind)

    def data(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.fields.items()}


class _Parser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.form = page_url, [], None
        self.select = self.textarea = None
        self.select_value = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("hx-post") or a.get("action") or self.page_url
            if a.get("hx-post"):
                method = "post"
            self.form = Form(urljoin(self.page_url, action), method)
            self.forms.append(self.form)
            return
        if self.form is None:
            if tag in ("button", "a") and a.get("hx-post"):  # htmx buttons outside forms
                form = Form(urljoin(self.page_url, a["hx-post"]), "post")
                self.forms.append(form)
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self.form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.form.add(name, a.get("value", "on"), kind)
                else:
                    self.form.types.setdefault(name, kind)
            elif kind not in ("submit", "button", "image", "reset"):
                self.form.add(name, a.get("value", ""), kind)
        elif tag == "button" and name and self.form is not None:
            self.form.choices.setdefault(name, []).append(a.get("value", ""))
            self.form.types.setdefault(name, "button")
        elif tag == "select" and name:
            self.select, self.select_value = name, None
            self.form.types.setdefault(name, "select")
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.form.choices.setdefault(self.select, []).append(value)
            if "selected" in a or self.select_value is None:
                self.select_value = value
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
            self.form.types.setdefault(name, "textarea")

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select:
            if self.form is not None and self.select_value is not None:
                self.form.add(self.select, self.select_value, "select")
            self.select = None
        elif tag == "textarea" and self.textarea:
            if self.form is not None:
                self.form.add(self.textarea, self.text, "textarea")
            self.textarea = None


def forms_in(html: str, page_url: str) -> list[Form]:
    parser = _Parser(page_url)
    parser.feed(html)
    return parser.forms


def post_forms(client, urls) -> dict[str, Form]:
    """Every POST form found on the given pages, by action path (first one wins), with the
    ``button`` values of the first submit button merged in."""
    found: dict[str, Form] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_in(response.content.decode(), url):
            path = form.action.split("?")[0].split("#")[0]
            if form.method == "post" and path.startswith("/shops/") and path not in found:
                for name, values in form.choices.items():
                    if form.types.get(name) == "button" and name not in form.fields:
                        form.add(name, values[0], "button")
                found[path] = form
    return found
