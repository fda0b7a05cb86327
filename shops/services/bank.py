"""The payout bank account (SPEC §2): validated, stored encrypted, changes emailed and audited."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit, crypto
from shops.models import BankAccount, SellerProfile, Shop
from shops.notifications import email_shop_owners
from shops.onboarding.rules import names_match, routing_number_valid


def bank_account_save(
    *,
    shop: Shop,
    actor,
    holder_name: str,
    routing_number: str,
    account_number: str,
    kind: str = BankAccount.Kind.CHECKING,
    ip: str | None = None,
) -> BankAccount:
    routing_number = re.sub(r"[\s-]", "", routing_number)
    account_number = re.sub(r"[\s-]", "", account_number)
    errors: dict[str, str] = {}
    profile = SellerProfile.objects.filter(shop=shop).first()
    expected = profile.display_name if profile else ""
    if not expected:
        errors["holder_name"] = (
            "Fill in Business details first: the account holder must match the "
            + ("business name." if shop.seller_type == Shop.SellerType.BUSINESS else "legal name.")
        )
    elif not names_match(holder_name, expected):
        errors["holder_name"] = (
            f"The account holder must be “{expected}”, the "
            + ("business name" if shop.seller_type == Shop.SellerType.BUSINESS else "legal name")
            + " in your business details."
        )
    if not routing_number_valid(routing_number):
        errors["routing_number"] = (
            "This is not a valid US routing number (9 digits, with a check digit). "
            "Copy it from a cheque or your bank's website."
        )
    if not re.fullmatch(r"\d{4,17}", account_number):
        errors["account_number"] = "An account number has 4 to 17 digits."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = BankAccount.objects.select_for_update().filter(shop=shop).first()
        before = (
            {
                "holder": existing.holder_name,
                "routing": existing.routing_number,
                "account": existing.masked_number,
            }
            if existing
            else None
        )
        account = existing or BankAccount(shop=shop)
        account.holder_name = holder_name.strip()
        account.routing_number = routing_number
        account.account_number_encrypted = crypto.encrypt(account_number)
        account.account_last4 = account_number[-4:]
        account.kind = kind
        account.updated_by = actor
        account.updated_at = timezone.now()
        account.save()
        after = {
            "holder": account.holder_name,
            "routing": routing_number,
            "account": account.masked_number,
        }
        audit.record(
            actor=actor,
            action="bank_account.changed" if existing else "bank_account.added",
            shop=shop,
            target=account,
            changes={k: (before[k] if before else "", after[k]) for k in after},
            ip=ip,
        )
        email_shop_owners(
            shop=shop,
            subject=f"Bank account {'changed' if existing else 'added'} for {shop.name}",
            body=(
                f"The payout bank account of {shop.name} was "
                f"{'changed' if existing else 'added'} by {actor.email}.\n\n"
                f"Account holder: {account.holder_name}\nAccount: {account.masked_number}\n\n"
                "If this was not you, sign in, change your password and contact support at once."
            ),
        )
    return account
