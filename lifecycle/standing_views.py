"""The shop's standing pages: program eligibility (SPEC §3) and probation progress."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lifecycle.eligibility import eligibility_evaluate, latest_evaluation
from lifecycle.models import EligibilityEvaluation
from lifecycle.probation import probation_progress
from shops import permissions as p
from shops.models import ShopProbation
from shops.order_caps import investigation_daily_order_cap, probation_daily_order_cap
from shops.services.probation import live_listing_cap
from shops.tenancy import shop_view


@shop_view(p.VIEW)
def eligibility(request, shop_slug):
    latest = latest_evaluation(request.shop)
    history = list(EligibilityEvaluation.objects.order_by("-evaluated_at", "-id")[:12])
    return render(
        request,
        "lifecycle/eligibility_detail.html",
        {
            "latest": latest,
            "history": history,
            # Under investigation the shop fails "Shop status" now, whatever the last check said.
            "investigation_cap": investigation_daily_order_cap(request.shop),
        },
    )


@require_POST
@shop_view(p.VIEW)
def eligibility_check(request, shop_slug):
    evaluation = eligibility_evaluate(
        shop=request.shop, trigger=EligibilityEvaluation.Trigger.ON_DEMAND, actor=request.user
    )
    messages.success(
        request,
        "Your shop qualifies for the program."
        if evaluation.eligible
        else "Checked: some criteria are not met yet.",
    )
    return redirect("standing:eligibility", shop_slug=request.shop.slug)


@shop_view(p.VIEW)
def probation(request, shop_slug):
    shop = request.shop
    record = ShopProbation.objects.filter(shop=shop).first()
    requirements = probation_progress(shop) if shop.on_probation else []
    return render(
        request,
        "lifecycle/probation_detail.html",
        {
            "record": record,
            "requirements": requirements,
            "order_cap": probation_daily_order_cap(shop),
            "listing_cap": live_listing_cap(shop),
        },
    )
