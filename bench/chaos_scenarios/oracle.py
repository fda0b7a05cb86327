"""An independent model of SPEC §9.2 (the oracle) and the shops seeded to check the sweep against it."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.db import close_old_connections
from django_scopes import scopes_disabled

from accounts.models import User
from common.clock import platform_tz
from common.policy import POLICY
from lifecycle.models import InactivityEpisode, InactivityStage
from shops.models import Membership, Role, Shop

S = InactivityStage


def log(msg: str) -> None:
    print(f"[chaos {datetime.now(UTC):%H:%M:%S}] {msg}", flush=True)


@dataclass
class ShopState:
    last: date  # platform day of the last activity
    deposit: bool
    episode: tuple[str, date] | None  # (stage, stage date) of the open episode
    banned: bool = False


def oracle_step(s: ShopState, day: date) -> str | None:
    """What one sweep on ``day`` does to this shop; returns the stage reached (a notice)."""
    if s.banned:
        return None
    inactive = (day - s.last).days
    if s.episode is None:
        if inactive >= POLICY.inactivity_first_reminder_days:
            s.episode = (S.FIRST_REMINDER, day)
            return S.FIRST_REMINDER
        return None
    stage, since = s.episode
    new = None
    if (
        stage == S.SECOND_REMINDER
        and (day - since).days >= POLICY.inactivity_ban_after_reminder_days
    ):
        new = S.BAN_WAIVED if s.deposit else S.BANNED
    elif stage == S.DELISTED and since < day and inactive >= POLICY.inactivity_second_reminder_days:
        new = S.SECOND_REMINDER
    elif (
        stage == S.FIRST_REMINDER
        and (day - since).days >= POLICY.inactivity_delist_after_reminder_days
    ):
        new = S.DELISTED
    if new is None:
        return None
    s.episode = (new, day)
    if new == S.BANNED:
        s.banned, s.episode = True, None
    return new


ORACLE: dict[int, ShopState] = {}
OWNER_EMAIL: dict[int, str] = {}
EXPECTED_NOTICES: Counter = Counter()  # shop id → notices expected so far


def _at(day: date) -> datetime:
    return datetime.combine(day, dtime(12), tzinfo=platform_tz())


# The shops seeded with an open episode, by stage: (share up to, kind, stage, inactive days when
# the stage was reached, the stage's age k in days up to, more inactive days up to).
OPEN_EPISODES = (
    (0.75, "first reminder sent", S.FIRST_REMINDER, 60, 10, 20),
    (0.85, "delisted", S.DELISTED, 67, 12, 25),
    (0.95, "second reminder sent", S.SECOND_REMINDER, 90, 10, 10),
)


def seed_sweep_shops(n: int, day0: date, rng: random.Random) -> Counter:
    """n shops: 40 % recently active, 25 % newly 60+ days inactive, the rest with an open
    episode in each stage at various ages (due or not yet due on day0)."""
    password = make_password(None)
    mix = Counter()
    with scopes_disabled():
        users = User.objects.bulk_create(
            [User(email=f"owner{i:05d}@chaos.test", password=password) for i in range(n)],
            batch_size=2000,
        )
        plans = []
        for _ in range(n):
            r = rng.random()
            deposit = rng.random() < 0.3
            if r < 0.40:
                kind, inactive, ep = "recent", rng.randint(0, 59), None
            elif r < 0.65:
                kind, inactive, ep = "60+ days, no episode", rng.randint(60, 120), None
            elif r < OPEN_EPISODES[-1][0]:
                _, kind, stage, reached, k_max, spread = next(c for c in OPEN_EPISODES if r < c[0])
                k = rng.randint(1, k_max)
                inactive, ep = reached + k + rng.randint(0, spread), (stage, k)
            else:
                kind, inactive, ep = "ban waived", 130, (S.BAN_WAIVED, 20)
            mix[kind] += 1
            plans.append((inactive, deposit, ep))
        shops = Shop.objects.bulk_create(
            [
                Shop(
                    name=f"Chaos shop {i:05d}",
                    slug=f"chaos-{i:05d}",
                    status=Shop.Status.ACTIVE,
                    on_probation=False,
                    store_deposit_paid=deposit,
                    last_activity_at=_at(day0 - timedelta(days=inactive)),
                )
                for i, (inactive, deposit, _ep) in enumerate(plans)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, shop=s, role=Role.OWNER)
                for u, s in zip(users, shops, strict=True)
            ],
            batch_size=2000,
        )
        episodes = []
        for shop, user, (inactive, deposit, ep) in zip(shops, users, plans, strict=True):
            last = day0 - timedelta(days=inactive)
            state = ShopState(last=last, deposit=deposit, episode=None)
            if ep:
                stage, k = ep
                state.episode = (stage, day0 - timedelta(days=k))
                episodes.append(
                    InactivityEpisode(
                        shop=shop,
                        started_at=_at(last),
                        opened_on=last + timedelta(days=POLICY.inactivity_first_reminder_days),
                        stage=stage,
                        stage_date=day0 - timedelta(days=k),
                    )
                )
            ORACLE[shop.pk] = state
            OWNER_EMAIL[shop.pk] = user.email
        InactivityEpisode.objects.bulk_create(episodes, batch_size=2000)
    return mix


def oracle_day(day: date) -> Counter:
    reached = Counter()
    for shop_id, state in ORACLE.items():
        stage = oracle_step(state, day)
        if stage:
            reached[str(stage)] += 1
            EXPECTED_NOTICES[shop_id] += 1
    return reached


def stage_mismatches() -> list[str]:
    """Shops whose stage in the database differs from the oracle's."""
    close_old_connections()
    with scopes_disabled():
        open_eps = dict(
            InactivityEpisode.objects.filter(closed_at__isnull=True).values_list("shop_id", "stage")
        )
        dates = dict(
            InactivityEpisode.objects.filter(closed_at__isnull=True).values_list(
                "shop_id", "stage_date"
            )
        )
        banned = set(
            Shop.objects.filter(pk__in=ORACLE, status=Shop.Status.BANNED).values_list(
                "pk", flat=True
            )
        )
    bad = []
    for shop_id, s in ORACLE.items():
        want = (s.episode[0], s.episode[1]) if s.episode else None
        got = (open_eps[shop_id], dates[shop_id]) if shop_id in open_eps else None
        if want != got or s.banned != (shop_id in banned):
            bad.append(f"shop {shop_id}: expected {want} banned={s.banned}, got {got}")
    return bad
