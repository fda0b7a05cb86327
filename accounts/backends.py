"""Authentication backends: Django's and allauth's, loading the signed-in user with one
hand-written SELECT (accounts.fastload) — it runs on every request, and the ORM spent
more CPU building that query than the database spent answering it."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.fastload import Columns, fetch, prepared_sql
from accounts.models import User

_USER = Columns(User, "u")


def _user_sql(connection, q) -> str:
    return (
        f"SELECT {_USER.sql(connection)} FROM {q(User._meta.db_table)} u "  # noqa: S608
        f"WHERE u.{q(User._meta.pk.column)} = %s"
    )


def user_by_pk(user_id) -> User | None:
    rows = fetch(prepared_sql("user_by_pk", _user_sql), [user_id], [_USER])
    return rows[0][0] if rows else None


class FastGetUser:
    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastGetUser, DjangoModelBackend):
    pass


class AuthenticationBackend(FastGetUser, AllauthBackend):
    pass
