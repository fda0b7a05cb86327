from datetime import date, timedelta

from django import forms
from django.shortcuts import render
from django.urls import reverse

from common.clock import local_date, month_start, previous_month_range
from common.csvio import csv_response
from orders.analytics.reports import MAX_RANGE_DAYS, REPORTS, DateRange, build_report
from shops import permissions as p
from shops.tenancy import shop_view

GRAINS = [("day", "Day"), ("week", "Week"), ("month", "Month")]
EARLIEST_REPORT_DAY = date(2000, 1, 1)


class RangeForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(choices=GRAINS, required=False)

    def clean(self):
        data = super().clean()
        today = local_date()
        latest = today + timedelta(days=366)
        if any(
            d and not EARLIEST_REPORT_DAY <= d <= latest
            for d in (data.get("start"), data.get("end"))
        ):
            # Years 1 and 9999 used to overflow the period arithmetic (a 500).
            raise forms.ValidationError("Pick dates between 1 January 2000 and a year from today.")
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=29)
        if start > end:
            raise forms.ValidationError(
                "The start date is after the end date. Pick a start on or before the end."
            )
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise forms.ValidationError("Reports cover at most 2 years. Pick a shorter range.")
        data["period"] = DateRange(start, end)
        data["grain"] = data.get("grain") or "day"
        return data


def _default_range() -> dict:
    today = local_date()
    return {"start": today - timedelta(days=29), "end": today, "grain": "day"}


def presets(today: date) -> list[tuple[str, date, date]]:
    lm_first, lm_last = previous_month_range(today)
    return [
        ("Last 7 days", today - timedelta(days=6), today),
        ("Last 30 days", today - timedelta(days=29), today),
        ("This month", month_start(today), today),
        ("Last month", lm_first, lm_last),
        ("Last 90 days", today - timedelta(days=89), today),
    ]


def _report_view(key: str):
    @shop_view(p.ANALYTICS)
    def view(request, shop_slug):
        form = RangeForm(request.GET or _default_range())
        if not form.is_valid():
            context = {
                "form": form,
                "reports": _tabs(request.shop.slug, key),
                "presets": presets(local_date()),
                "report": None,
            }
            return render(request, "orders/analytics_report.html", context, status=400)
        period, grain = form.cleaned_data["period"], form.cleaned_data["grain"]
        report = build_report(key, shop=request.shop, period=period, grain=grain)
        if request.GET.get("format") == "csv":
            filename = f"{request.shop.slug}-{key}-{period.start}-{period.end}.csv"
            return csv_response(filename, report.columns, report.rows)
        context = {
            "form": form,
            "report": report,
            "period": period,
            "grain": grain,
            "grains": GRAINS,
            "reports": _tabs(request.shop.slug, key),
            "presets": presets(local_date()),
            "chart": report.chart(request.shop.currency),
        }
        return render(request, "orders/analytics_report.html", context)

    view.__name__ = f"analytics_{key}"
    return view


def _tabs(slug: str, current: str) -> list[dict]:
    return [
        {
            "key": k,
            "title": t,
            "url": reverse(
                f"orders:analytics_{k}" if k != "sales" else "orders:analytics",
                kwargs={"shop_slug": slug},
            ),
            "active": k == current,
        }
        for k, t in REPORTS.items()
    ]


analytics = _report_view("sales")
analytics_traffic = _report_view("traffic")
analytics_conversion = _report_view("conversion")
analytics_best_sellers = _report_view("best_sellers")
analytics_customers = _report_view("customers")
analytics_live = _report_view("live")
