"""A user's identity version: one cache key that moves whenever something a signed-in request
trusts about the user changes, so identities cached per session (shops.identity) are reloaded
from the database on the very next request.

It moves when the user row is saved (password, sign-in, deactivation), when their sessions are
ended (accounts.sessions), when a two-step device is saved or removed (accounts.receivers), and
when one of their memberships or shops changes (shops.receivers). A cached identity stamped
with an older version is never used.
"""

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import models, transaction

# Far longer than any cached identity lives: a version that expires only forces a reload.
VERSION_SECONDS = 7 * 24 * 3600


def version_key(user_id) -> str:
    return f"identity:v:{user_id}"


def current_version(user_id) -> str:
    """The user's identity version, made if there is none yet (a new user, an emptied cache)."""
    key = version_key(user_id)
    version = cache.get(key)
    if version is None:
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(key, fresh, VERSION_SECONDS) else cache.get(key, fresh)
    return version


def identity_changed(user_ids: Iterable) -> None:
    """Move these users' identity versions now, and again when the transaction commits: a
    request that read the old rows while the transaction was open cached them under the
    version that the second move retires."""
    keys = {version_key(user_id) for user_id in user_ids if user_id is not None}
    if not keys:
        return

    def move():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, VERSION_SECONDS)

    move()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(move)


class IdentityQuerySet(models.QuerySet):
    """Bulk updates of rows that cached identities hold (users, shops, memberships) move the
    versions of the users they concern, as ``save()`` does through the receivers."""

    # The lookup from the model to the concerned users' ids.
    identity_users = "pk"

    def update(self, **kwargs) -> int:
        identity_changed(set(self.values_list(self.identity_users, flat=True)))
        return super().update(**kwargs)
