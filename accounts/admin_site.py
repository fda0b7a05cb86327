"""The staff console: django-otp's OTPAdminSite (password + the same second-factor devices
sellers use) with failed sign-ins throttled by the same per-IP and per-account limits as the
seller sign-in (allauth's ``login_failed`` rate, in the shared cache, trusted-proxy aware).

Every admin action declares the permission it needs (``@admin.action(permissions=[...])``;
tests/staff/test_admin_action_rights.py checks each one); the site answers 403 to a staff user
who posts an action their groups do not grant, on every model's list — Django alone would
only say "no action selected"."""

from allauth.account.adapter import get_adapter
from allauth.core.ratelimit import respond_429
from django.contrib.admin import ActionLocation, ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    site_header = "Seller Center staff console"
    site_title = "Seller Center staff"

    def __init__(self, name: str = "admin"):
        # Keep the "admin" namespace so reverse("admin:…") works everywhere.
        super().__init__(name)

    def register(self, model_or_iterable, admin_class=None, **options):
        """An action that declares no permission (a third-party admin's) needs the right to
        change its model, never merely to see it."""
        super().register(model_or_iterable, admin_class, **options)
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in (m for m in models if m in self._registry):  # swapped models are skipped
            for action in self._registry[model]._get_base_actions():
                if not hasattr(action.func, "allowed_permissions"):
                    action.func.allowed_permissions = ("change",)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        location = _ACTION_LOCATIONS.get(getattr(view, "__name__", ""))
        if isinstance(model_admin, ModelAdmin) and location is not None:
            view = _refusing_unpermitted_actions(model_admin, view, location)
        return super().admin_view(view, cacheable)

    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        adapter = get_adapter(request)
        login = request.POST.get("username", "").strip().lower()
        try:
            # Counts this attempt against the IP and the account; refused once over the limit.
            adapter.pre_authenticate(request, email=login)
        except ValidationError:
            return respond_429(request)
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        password_ok = form is not None and form.get_user() is not None
        if password_ok or getattr(request.user, "otp_device", None) is not None:
            # A right password does not use up the budget; wrong codes are throttled by
            # django-otp and the second-factor lock instead.
            adapter._rollback_login_failed_rl_usage()
        return response


_ACTION_LOCATIONS = {
    "changelist_view": ActionLocation.CHANGE_LIST,
    "change_view": ActionLocation.CHANGE_FORM,
}


def _refusing_unpermitted_actions(model_admin: ModelAdmin, admin_page, location):
    def view(request, *args, **kwargs):
        if request.method == "POST" and "action" in request.POST:
            name = request.POST.get("action", "")
            every_action = {a.name for a in model_admin._get_base_actions(location)}
            if name in every_action and name not in model_admin.get_actions(request, location):
                raise PermissionDenied("Your staff groups do not include this action.")
        return admin_page(request, *args, **kwargs)

    return view


# Above this many rows (PostgreSQL's own estimate), an unfiltered list shows the estimate
# instead of counting every row: COUNT(*) over a million shops on every page view adds up.
ESTIMATE_COUNT_ABOVE = 100_000


class LargeTablePaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_COUNT_ABOVE:
                return int(row[0])
        return super().count


# --- Permission mixins for console pages (put them before the ModelAdmin base) ----------------


class NoAddOrDelete:
    """Rows that their services make and end: the console never adds or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyFields(NoAddOrDelete):
    """Nothing is edited in the form: every change is an action that says why."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class ViewOnly(NoAddOrDelete):
    """Records of what happened: staff read them, nobody edits them."""

    def has_change_permission(self, request, obj=None):
        return False
