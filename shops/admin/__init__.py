"""The staff console for shops, memberships, verification history and support tickets.

Every decision is an action that calls a service in ``shops.services.staff`` (audited there);
each action needs its own permission (the least-privilege groups grant them one by one), and a
staff user without it gets 403. Importing this package registers every admin of the app.
"""

from shops.admin import membership, shop, support, verification  # noqa: F401
