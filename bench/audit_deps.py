"""Known vulnerabilities in the locked dependencies, from PyPI's JSON API.

    python bench/audit_deps.py requirements-dev.lock

pip-audit cannot run from this network: it asks PyPI for each *release*
(/pypi/<name>/<version>/json), which the reachable mirror does not serve, and OSV is not
reachable at all. The project endpoint (/pypi/<name>/json) is served, and it lists the known
vulnerabilities of the project's latest release (the same OSV data pip-audit reads). So:
a locked package at its latest release is audited; one behind it is reported "not audited"
with the newer version, and a vulnerability in an audited one fails the run (exit 1).
PyPI unreachable: said loudly, exit 0 (the audit is a report, not a network test).
"""

import json
import re
import sys
import urllib.error
import urllib.request

LINE = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#\\]+)")


def main(lock: str) -> int:
    pins = []
    for raw in open(lock, encoding="utf-8"):
        match = LINE.match(raw.strip())
        if match:
            pins.append((match.group(1), match.group(2)))
    audited, behind, found = [], [], []
    for name, version in pins:
        try:
            with urllib.request.urlopen(  # noqa: S310 — a fixed https URL
                f"https://pypi.org/pypi/{name}/json", timeout=20
            ) as response:
                data = json.load(response)
        except (urllib.error.URLError, TimeoutError) as exc:
            print(f"PyPI unreachable ({exc}): dependencies NOT audited.")
            return 0
        latest = data["info"]["version"]
        if latest != version:
            behind.append(f"{name} {version} (latest {latest})")
            continue
        audited.append(name)
        for vuln in data.get("vulnerabilities") or []:
            found.append(
                f"{name} {version}: {vuln.get('id')} {', '.join(vuln.get('aliases') or [])}"
            )
    print(f"{len(audited)} of {len(pins)} locked packages audited (at their latest release).")
    if behind:
        print("Not audited (behind their latest release): " + "; ".join(behind))
    if found:
        print("KNOWN VULNERABILITIES:\n  " + "\n  ".join(found))
        return 1
    print("No known vulnerabilities in the audited packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements-dev.lock"))
