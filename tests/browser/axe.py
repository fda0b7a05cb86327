"""axe-core (vendored: static/vendor/axe/axe.min.js) run on the page a browser test is showing.

The script is loaded from the app's own static files, so the page's Content-Security-Policy
(script-src 'self') allows it and no CDN is involved."""

BLOCKING = ("critical", "serious")


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """The violations of the given impacts on the current page, as
    {"id", "impact", "help", "targets"} dicts (empty when the page passes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
        page.wait_for_function("typeof window.axe !== 'undefined'")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} — {v['targets']}" for v in violations)
