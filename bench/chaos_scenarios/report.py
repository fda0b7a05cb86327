"""The report of `make chaos`."""

import json
from pathlib import Path


def write_report(report: dict, out: Path) -> bool:
    sc = report["scenarios"]
    lines = [
        f"# Chaos {report['measured_at']}",
        "",
        f"Machine: {report['machine']} (shared with other engineers' work: timings are loose). "
        "Private PostgreSQL and Redis on loopback, started and stopped by the run.",
        "",
    ]
    all_ok = True

    def checks(d: dict) -> None:
        nonlocal all_ok
        for label, ok in d.items():
            all_ok &= bool(ok)
            lines.append(f"- {'PASS' if ok else '**FAIL**'} — {label}")

    if "worker_kills" in sc:
        a = sc["worker_kills"]
        lines += [
            f"## a. Worker SIGKILLed during an inactivity sweep over {a['shops']:,} shops",
            "",
            f"Sweep of {a['run_date']}; seeded mix: "
            + ", ".join(f"{k} {v:,}" for k, v in a["seed_mix"].items())
            + f". Stages expected {a['stages_expected']}, reached {a['stages_reached']}; "
            f"{a['emails_queued']:,} emails queued.",
            "",
            "| kill at | emailed when killed | claimed, not yet stamped |",
            "| ---: | ---: | ---: |",
            *[
                f"| {k['at_pct']}% | {k['emailed_when_killed']:,} | {k['claimed_unsent']} |"
                for k in a["kills"]
            ],
            "",
            f"After the restarts drained: {a['after_restarts']}. Claims left by the killed "
            f"workers, aged past EMAIL_CLAIM_STALE_AFTER (simulated 30 minutes): "
            f"{a['stale_claims_recovered']}; then the next sweep run re-queued the unsent, and "
            f"every chunk was replayed once more (the broker's redelivery). Final: {a['final']}. "
            f"Took {a['seconds']} s.",
            "",
        ]
        checks(a["checks"])
        lines.append("")
    if "two_beats" in sc:
        b = sc["two_beats"]
        lines += [
            "## b. Two beats for three simulated days",
            "",
            "| day | runs | runs that did work | expected | reached |",
            "| --- | --- | ---: | --- | --- |",
            *[
                f"| {d['day']} | {', '.join(d['runs'])} | {d['runs_that_did_work']} | "
                f"{d['stages_expected']} | {d['stages_reached']} |"
                for d in b["days"]
            ],
            "",
            f"Emails: {b['emails']}.",
            "",
        ]
        checks(b["checks"])
        lines.append("")
    if "outages" in sc:
        lines += ["## c. Restarts under load (checkouts + seller pages, gunicorn)", ""]
        lines += [
            "| server | outage s | errors seen over | requests | errors before / during / after | first success after up | error kinds | checkouts ok / sold out | pages ok |",
            "| --- | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |",
        ]
        for name, c in sc["outages"].items():
            lines.append(
                f"| {name} | {c['outage_s']} | {c['error_window_s']} s | {c['requests']} | "
                f"{c['errors_before']} / {c['errors_during']} / {c['errors_after']} | "
                f"{c['first_success_after_up_s']} s | {c['error_kinds']} | {c['checkouts_ok']} / "
                f"{c['checkouts_sold_out']} | {c['pages_ok']} |"
            )
        for name, c in sc["outages"].items():
            lines += [
                "",
                f"**{name}** — integrity: {c['integrity']}; failed checkouts retried with their "
                f"key: {c['failed_checkouts_retried']}; order confirmation emails right after "
                f"the outage: {c['confirmation_emails']}, then the outbox's redelivery queued "
                f"{c['confirmations_requeued']} and gave "
                f"{c['confirmation_emails_after_redelivery']}; Celery worker "
                + (
                    "**exited** during the outage (restarted by the run, as a supervisor would)"
                    if c["worker_exited"]
                    else "rode out the outage"
                )
                + ".",
                "",
            ]
            checks(c["checks"])
        lines.append("")
    for name, error in report.get("errors", {}).items():
        all_ok = False
        lines += [f"**FAIL** — scenario {name} crashed: `{error}`", ""]
    lines.append(f"Overall: {'PASS' if all_ok else '**FAIL**'}")
    text = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    stamp = report["measured_at"].replace(":", "").replace("-", "")
    report["ok"] = all_ok
    (out / f"chaos-{stamp}.md").write_text(text)
    (out / f"chaos-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    (out / "chaos-latest.md").write_text(text)
    print("\n" + text, flush=True)
    return all_ok
