"""`make bench`'s report: the figures of a run become the markdown an operator reads, with the
ratios computed from the runs (here a synthetic run, so the arithmetic is known)."""

from bench import flash, report


def _run(rps: float) -> dict:
    return {"rps": rps, "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0}


def _results() -> dict:
    return {
        "measured_at": "2026-12-02T05:00:00+00:00",
        "machine": "2 cores",
        "concurrency": 16,
        "duration_s": 10,
        "bare": _run(1000.0),
        "trivial": _run(600.0),
        "rows": [
            {
                "page": "Home",
                "page_run": _run(80.0),
                "reference_run": _run(100.0),
                "small_shop_run": _run(90.0),
                "queries": 12,
                "queries_small_shop": 12,
            }
        ],
        "sweep": {
            "day": "2026-12-01",
            "shops_in_table": 1000,
            "open_episodes": 10,
            "sweep_s": 1.5,
            "reference_update_s": 3.0,
            "reference_rows": 300,
            "ratio": 0.5,
            "counts": {"first_reminder": 3},
        },
        "csv_import": {"rows": 100, "create_s": 1.0, "update_s": 0.8},
        "export": {"shop": "bench-big", "products": 10, "orders": 20, "seconds": 2.0, "zip_mb": 1},
        "checkout": {
            "concurrency": 16,
            "orders_per_s": 72.0,
            "orders": 700,
            "hot_sku_reserved": 200,
            "hot_sku_on_hand": 200,
            "hot_sku_ordered": 200,
            "zero_oversell": True,
        },
    }


def test_the_report_states_each_ratio_and_is_written_beside_its_json(tmp_path):
    text = report.write(_results(), tmp_path)

    assert "**600.0 req/s** = **60%** of bare" in text
    assert "| Home | 80.0 |" in text and "| 80% |" in text  # page ÷ its reference
    assert "| 12/12 |" in text
    assert "| Sweep ÷ UPDATE | **0.5** | < 3 |" in text
    assert "**72.0 orders/s** (700 orders)" in text and "| none | none |" in text
    assert (tmp_path / "latest.md").read_text() == text
    assert len(list(tmp_path.glob("bench-*.json"))) == 1


def test_an_oversold_checkout_is_reported_as_such(tmp_path):
    results = _results()
    results["checkout"]["zero_oversell"] = False
    assert "**OVERSOLD**" in report.write(results, tmp_path)


def _side(orders_per_s: float, p95_ms: float) -> dict:
    return {"concurrency": 16, "orders": 100, "orders_per_s": orders_per_s, "p95_ms": p95_ms,
            "errors_5xx": 0}  # fmt: skip


def _live_checkout() -> dict:
    rounds = [  # checkout ÷ reference: 45%, 55%, 50%
        {"first": "reference", "reference": _side(400.0, 30.0), "checkout": _side(180.0, 90.0)},
        {"first": "checkout", "reference": _side(300.0, 40.0), "checkout": _side(165.0, 80.0)},
        {"first": "reference", "reference": _side(500.0, 20.0), "checkout": _side(250.0, 100.0)},
    ]
    sale = {"allocation": 500, "orders": 500, "orders_per_s": 120.0, "order_p95_ms": 250.0,
            "sold_out_answers": 40, "sold_out_p95_ms": 30.0, "errors_5xx": 0, "pin_sold": 500,
            "live_sales": 500, "sku_reserved": 500, "sku_on_hand": 5000, "exact": True}  # fmt: skip
    return {**flash.paired(rounds), "round_s": 10, "flash": sale, "flash_vs_reference": 0.3}


def test_checkout_vs_reference_is_the_median_of_the_rounds_own_ratios_with_its_range():
    figures = _live_checkout()

    assert [r["checkout_vs_reference"] for r in figures["rounds"]] == [0.45, 0.55, 0.5]
    assert figures["checkout_vs_reference"] == 0.5  # not 180 ÷ 400, the ratio of the medians
    assert figures["checkout_vs_reference_range"] == [0.45, 0.55]
    assert figures["reference"] == {"concurrency": 16, "orders": 300, "orders_per_s": 400.0,
                                    "p95_ms": 30.0, "errors_5xx": 0}  # fmt: skip
    assert figures["checkout"]["orders_per_s"] == 180.0 and figures["checkout"]["p95_ms"] == 90.0


def test_the_checkout_row_shows_the_median_ratio_and_its_range(tmp_path):
    text = report.write({**_results(), "live_checkout": _live_checkout()}, tmp_path)

    assert "| 180.0 | 90.0 | **50%** (45–55%, 3 rounds) | ≥ 50% |" in text
    assert "3 rounds of 10 s each" in text and "**exact**" in text
