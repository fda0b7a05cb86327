"""The verification queue (SPEC §2) for the "Verification reviewers" group, at /review/.

Not a seller page: it reads across shops, so each view says so (``scopes_disabled`` for the
queue, ``scope(shop=…)`` once a submission is resolved). Non-reviewers get 404, and a reviewer
never sees a submission of a shop they belong to.
"""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from accounts.views import verified_login_required
from common.errors import add_error_to_form
from common.policy import POLICY
from shops.models import VerificationSubmission
from shops.onboarding.files import document_response
from shops.onboarding.forms import DecisionForm
from shops.review.access import access_submission_for_review, is_reviewer
from shops.services import verification as services

Status = VerificationSubmission.Status


def reviewer_view(view):
    # Reviewers see identity documents: never in the password-only half of a sign-in.
    @verified_login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_reviewer(request.user):
            raise Http404("No such page.")
        submission_id = kwargs.pop("submission_id", None)
        if submission_id is None:
            with scopes_disabled():
                return view(request, *args, **kwargs)
        with scopes_disabled():
            submission = access_submission_for_review(request.user, submission_id)
        with scope(shop=submission.shop):
            response = view(request, submission, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response = response.render()
            return response

    return wrapped


@reviewer_view
def queue(request):
    now = timezone.now()
    target = timedelta(days=POLICY.review_target_days)
    open_submissions = list(
        VerificationSubmission.objects.select_related("shop", "claimed_by")
        .filter(status__in=VerificationSubmission.OPEN)
        .exclude(shop__memberships__user=request.user)
        .order_by("submitted_at", "id")
    )
    rows = [
        {
            "submission": s,
            "age": now - s.submitted_at,
            "overdue": now - s.submitted_at > target,
            "mine": s.claimed_by_id == request.user.pk,
        }
        for s in open_submissions
    ]
    decided = list(
        VerificationSubmission.objects.select_related("shop")
        .exclude(status__in=VerificationSubmission.OPEN)
        .exclude(shop__memberships__user=request.user)
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "shops/review_queue.html",
        {
            "rows": rows,
            "decided": decided,
            "target_days": POLICY.review_target_days,
            "overdue_count": sum(r["overdue"] for r in rows),
        },
    )


@reviewer_view
def detail(request, submission):
    form = DecisionForm()
    return _detail(request, submission, form)


@require_POST
@reviewer_view
def claim(request, submission):
    try:
        services.submission_claim(submission=submission, reviewer=request.user)
    except services.AlreadyClaimed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Claimed. Other reviewers will see it is yours.")
    return redirect("review:detail", submission_id=submission.pk)


@require_POST
@reviewer_view
def release(request, submission):
    try:
        services.submission_release(submission=submission, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("review:queue")


@require_POST
@reviewer_view
def decide(request, submission):
    form = DecisionForm(request.POST)
    try:
        rejected_ids = [int(v) for v in request.POST.getlist("rejected_documents")]
    except ValueError as exc:
        raise Http404("No such document.") from exc
    if form.is_valid():
        try:
            services.submission_decide(
                submission=submission,
                reviewer=request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                rejected_document_ids=rejected_ids,
            )
        except ValidationError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, f"Decision recorded for {submission.shop.name}.")
            return redirect("review:queue")
    return _detail(request, submission, form, status=400)


@reviewer_view
def document_file(request, submission, document_id):
    document = get_object_or_404(submission.documents.all(), pk=document_id)
    return document_response(document)


def _detail(request, submission, form, status=200):
    now = timezone.now()
    target = timedelta(days=POLICY.review_target_days)
    documents = list(submission.documents.order_by("uploaded_at", "id"))
    history = list(
        submission.shop.submissions.exclude(pk=submission.pk).order_by("-submitted_at")[:10]
    )
    return render(
        request,
        "shops/review_detail.html",
        {
            "submission": submission,
            "snapshot": submission.snapshot,
            "documents": documents,
            "form": form,
            "age": now - submission.submitted_at,
            "overdue": now - submission.submitted_at > target,
            "mine": submission.claimed_by_id == request.user.pk
            and submission.status == Status.IN_REVIEW,
            "decisions": submission.decisions.select_related("actor"),
            "history": history,
            "today": timezone.localdate(),
        },
        status=status,
    )
