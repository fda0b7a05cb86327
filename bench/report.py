"""The `make bench` report: one markdown table per part of the run, written beside its JSON."""

import json
from pathlib import Path

from bench.management.commands.seed_bench import BIG, SMALL


def write(results: dict, out: Path) -> str:
    """Write the run's report (markdown + JSON, and latest.md) into ``out``; return the text."""
    bare = results["bare"]["rps"]
    lines = [
        f"# Bench {results['measured_at']}",
        "",
        f"Machine: {results['machine']}. wrk, {results['concurrency']} connections, {results['duration_s']} s per URL; gunicorn "
        "production profile, persistent DB connections; big shop "
        f"`{BIG}` vs 100-product shop `{SMALL}`.",
        "",
        f"- Bare Django view (no middleware): **{bare} req/s**, p95 {results['bare']['p95_ms']} ms",
        f"- Signed-in trivial seller view (full middleware + tenancy): **{results['trivial']['rps']} req/s** = "
        f"**{results['trivial']['rps'] / bare:.0%}** of bare (target ≥ 50%)",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | vs reference | vs bare | small shop req/s | big ÷ small | queries (big/small) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["rows"]:
        p, r, s = row["page_run"], row["reference_run"], row["small_shop_run"]
        row["ratio_reference"] = round(p["rps"] / r["rps"], 3) if r["rps"] else None
        row["ratio_bare"] = round(p["rps"] / bare, 3) if bare else None
        row["ratio_big_small"] = round(p["rps"] / s["rps"], 3) if s["rps"] else None
        lines.append(
            f"| {row['page']} | {p['rps']} | {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {row['ratio_reference']:.0%} | "
            f"{row['ratio_bare']:.1%} | {s['rps']} | {row['ratio_big_small']:.0%} | {row['queries']}/{row['queries_small_shop']} |"
        )
    lines += [
        "",
        "Targets (reported, not asserted): page ≥ 80% of its reference view, p95 < 150 ms at concurrency 16, "
        "query count equal for both shops, big ÷ small within 20%.",
    ]
    lines += backend_lines(results)
    if "live_checkout" in results:
        lines += flash_lines(results["live_checkout"])
    report = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["measured_at"].replace(":", "").replace("-", "")
    (out / f"bench-{stamp}.md").write_text(report)
    (out / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2))
    (out / "latest.md").write_text(report)
    return report


def backend_lines(results: dict) -> list[str]:
    sw, imp, exp, co = (results[k] for k in ("sweep", "csv_import", "export", "checkout"))
    counts = ", ".join(f"{k} {v:,}" for k, v in sw["counts"].items())
    return [
        "",
        "## Back end",
        "",
        "| measurement | figure | target |",
        "| --- | ---: | --- |",
        f"| Inactivity sweep for {sw['day']} over {sw['shops_in_table']:,} shops "
        f"({sw['open_episodes']:,} open episodes) | {sw['sweep_s']} s | |",
        f"| One hand-written UPDATE over the same rows ({sw['reference_rows']:,} shops 60+ days "
        f"inactive) | {sw['reference_update_s']} s | |",
        f"| Sweep ÷ UPDATE | **{sw['ratio']}** | < 3 |",
        f"| CSV import, {imp['rows']:,} new rows (re-import, every row changed) | "
        f"{imp['create_s']} s ({imp['update_s']} s) | |",
        f"| Full data export of `{exp['shop']}` ({exp['products']:,} products, "
        f"{exp['orders']:,} orders) | {exp['seconds']} s, {exp['zip_mb']} MB | |",
        f"| Storefront checkout at concurrency {co['concurrency']} | "
        f"**{co['orders_per_s']} orders/s** ({co['orders']:,} orders) | ≥ 200 |",
        f"| Oversell (hot SKU: {co['hot_sku_reserved']} reserved of {co['hot_sku_on_hand']}, "
        f"{co['hot_sku_ordered']} ordered) | "
        f"{'none' if co['zero_oversell'] else '**OVERSOLD**'} | none |",
        *signin_lines(results.get("signin")),
        "",
        f"The sweep did ({counts}) and ran, like the UPDATE, in a transaction rolled back "
        "afterwards (its dry run), so each run measures the same work on the reused data set: "
        "70 % of the sweep shops active in the last 59 days, 30 % inactive 60–150 days with "
        "the episode daily sweeps would have given them, so about 1/90 of those are due for "
        "each stage. Best of two passes each."
        + (" **Quick run** (reduced data set)." if results.get("quick") else ""),
    ]


def signin_lines(si: dict | None) -> list[str]:
    if not si:
        return []
    params = ", ".join(f"{k} {v}" for k, v in si["params"].items())
    return [
        f"| Sign-in password step (in-process; hasher {si['hasher']}: {params}) | "
        f"{si['step_ms']} ms (hasher {si['verify_ms']} ms; PBKDF2 {si['pbkdf2_verify_ms']} ms) | |"
    ]


def flash_lines(f: dict) -> list[str]:
    ref, co, fl = f["reference"], f["checkout"], f["flash"]
    low, high = f["checkout_vs_reference_range"]
    rounds = len(f["rounds"])
    return [
        "",
        "## Checkout and the LIVE flash sale (one client for every figure)",
        "",
        "| measurement | orders/s | p95 ms | vs reference | target |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| Reference: conditional stock UPDATE + order row + line row, c=16, varied SKUs | "
        f"{ref['orders_per_s']} | {ref['p95_ms']} | 100% | |",
        f"| Storefront checkout, c=16, varied SKUs | {co['orders_per_s']} | {co['p95_ms']} | "
        f"**{f['checkout_vs_reference']:.0%}** ({low * 100:.0f}–{high:.0%}, {rounds} rounds) "
        "| ≥ 50% |",
        f"| Flash sale, c=64, one pinned SKU, {fl['allocation']} allocated, until sell-out | "
        f"{fl['orders_per_s']} | {fl['order_p95_ms']} | {f['flash_vs_reference']:.0%} | "
        "p95 < 300 ms |",
        f"| Sold-out answers after the sell-out ({fl['sold_out_answers']}) | | "
        f"{fl['sold_out_p95_ms']} | | p95 < 50 ms |",
        "",
        f"Reference and checkout: {rounds} rounds of {f['round_s']} s each, the two back to back, "
        "alternating which goes first; orders/s and p95 are each side's medians over the rounds, "
        "checkout ÷ reference the median of the rounds' own ratios (range in brackets). The flash sale is "
        "one sell-out, ÷ the reference's median.",
        "",
        f"Flash-sale invariants: {fl['orders']} orders, pin sold {fl['pin_sold']}, LIVE sales "
        f"{fl['live_sales']}, SKU reserved {fl['sku_reserved']} of {fl['sku_on_hand']}, 5xx "
        f"{fl['errors_5xx'] + co['errors_5xx']}: "
        + ("**exact**" if fl["exact"] and not fl["errors_5xx"] else "**BROKEN**"),
    ]
