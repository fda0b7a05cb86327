"""Building blocks of the staff console that every app's admin module may use.

- ``CrossShopAdmin``: runs each admin page with scopes disabled (staff read across shops,
  explicitly and grep-ably) and renders it inside that block.
- ``StaffConsoleAdmin``: a CrossShopAdmin for million-row tables (one COUNT per page). The
  admin site itself answers 403 to an action a staff user's groups do not grant.
- ``apply_each``: an action's loop over the selected rows, each refusal shown on its row.
- ``reason_form_action``: the intermediate confirmation page of an action that needs input
  (a reason, points, a score) before it changes anything; ``shop_service_action`` makes such an
  action of a staff service on shops.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django_scopes import scopes_disabled

from accounts.admin_site import LargeTablePaginator


class CrossShopAdmin(admin.ModelAdmin):
    """Runs each admin page with scopes disabled and renders it inside that block."""

    def changelist_view(self, request, extra_context=None):
        with scopes_disabled():
            return _rendered(super().changelist_view(request, extra_context))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with scopes_disabled():
            return _rendered(super().changeform_view(request, object_id, form_url, extra_context))

    def delete_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return _rendered(super().delete_view(request, object_id, extra_context))

    def history_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return _rendered(super().history_view(request, object_id, extra_context))


class StaffConsoleAdmin(CrossShopAdmin):
    show_full_result_count = False  # one COUNT per page, not two, on million-row tables
    paginator = LargeTablePaginator


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in the audit log.",
    )


def reason_form_action(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    *,
    title: str,
    apply: Callable,
    form_class: type[forms.Form] = ReasonForm,
    intro: str = "",
):
    """Show ``form_class`` for the selected rows; once submitted and valid, call
    ``apply(obj, cleaned_data)`` per row. A refusal (ValidationError) is shown per row and
    does not stop the others. Returns None (back to the list) or the form page."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        apply_each(
            modeladmin, request, queryset, lambda obj: apply(obj, form.cleaned_data),
            done=title + ": done for {n}.",
        )  # fmt: skip
        return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "objects": list(queryset[:50]),
        "count": queryset.count(),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action": request.POST.get("action", ""),
        "opts": opts,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(
        request, "admin/staff_console_action_form.html", context, status=400 if form.errors else 200
    )


def apply_each(modeladmin, request, rows, apply: Callable, *, done: str) -> int:
    """``apply(row)`` for every row. A refusal (a ValidationError, so any DomainError) is shown
    against its row and does not stop the others; then ``done`` with the count ``{n}``."""
    count = 0
    for row in rows:
        try:
            apply(row)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{row}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done.format(n=count), messages.SUCCESS)
    return count


def shop_service_action(
    service: Callable,
    *,
    description: str,
    permissions: list[str],
    title: str,
    intro: str = "",
    form_class: type[forms.Form] = ReasonForm,
    **fixed,
):
    """An admin action that asks for ``form_class`` (a reason, and what else the service
    takes), then calls ``service(shop=…, actor=…, **the form's data, **fixed)`` per shop."""

    def action(modeladmin, request, queryset):
        return reason_form_action(
            modeladmin, request, queryset, title=title, intro=intro, form_class=form_class,
            apply=lambda shop, data: service(shop=shop, actor=request.user, **data, **fixed),
        )  # fmt: skip

    return admin.action(description=description, permissions=permissions)(action)


def _rendered(response):
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response
