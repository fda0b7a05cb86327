"""allauth's account app without its "AccountMiddleware must be installed" start-up check, for
the bench's bare view only: the project's own apps import allauth models at start-up (two-step
sign-in), so the app must stay installed while the bare view runs with no middleware at all."""

from allauth.account.apps import AccountConfig


class BareAccountConfig(AccountConfig):
    def ready(self) -> None:
        from allauth.account import checks  # noqa: F401 — the system checks, as upstream
