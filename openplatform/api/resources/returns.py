"""Returns: list, read, approve, reject, refund — the returns pages' selectors and services."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema

from openplatform.api.base import Input, actor, need
from openplatform.scopes import RETURNS_READ, RETURNS_WRITE
from orders.returns.models import ReturnRequest
from orders.returns.selectors import access_return_request, return_list
from orders.returns.services import return_approve, return_refund, return_reject

router = Router(tags=["returns"])
PAGE_SIZE = 50


class ReturnOut(Schema):
    id: int
    order_id: int
    order_number: str
    line_id: int
    seller_sku: str
    kind: str
    status: str
    reason: str
    note: str
    requested_at: datetime
    answer_due_on: str | None
    refund_amount: Decimal | None
    rejection_reason: str
    return_carrier: str
    return_tracking: str


class ReturnPage(Schema):
    items: list[ReturnOut]
    next_cursor: str | None


class ReturnQuery(Schema):
    status: Literal[tuple(ReturnRequest.Status.values)] | None = None  # type: ignore[valid-type]
    cursor: int | None = Field(None, ge=1, description="next_cursor of the previous page")


class RejectIn(Input):
    reason: str = Field(min_length=1, max_length=1000)


class RefundIn(Input):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)


class Empty(Input):
    pass


@router.get("/returns", response=ReturnPage, summary="List returns")
def returns_list(request, query: Query[ReturnQuery]):
    need(request, RETURNS_READ)
    qs = return_list(shop=request.shop, status=query.status).order_by("-id")
    if query.cursor:
        qs = qs.filter(pk__lt=query.cursor)
    rows = list(qs[: PAGE_SIZE + 1])
    items = [_return_out(r) for r in rows[:PAGE_SIZE]]
    more = len(rows) > PAGE_SIZE
    return {"items": items, "next_cursor": str(rows[PAGE_SIZE - 1].pk) if more else None}


@router.get("/returns/{return_request_id}", response=ReturnOut, summary="Read a return")
def return_read(request, return_request_id: int):
    need(request, RETURNS_READ)
    return _return_out(access_return_request(request.shop, return_request_id))


@router.post("/returns/{return_request_id}/approve", response=ReturnOut, summary="Approve")
def return_approve_op(request, return_request_id: int, body: Empty | None = None):
    need(request, RETURNS_WRITE)
    rr = access_return_request(request.shop, return_request_id)
    return_approve(shop=request.shop, actor=actor(request), return_request=rr)
    return _return_out(access_return_request(request.shop, return_request_id))


@router.post("/returns/{return_request_id}/reject", response=ReturnOut, summary="Reject")
def return_reject_op(request, return_request_id: int, body: RejectIn):
    need(request, RETURNS_WRITE)
    rr = access_return_request(request.shop, return_request_id)
    return_reject(shop=request.shop, actor=actor(request), return_request=rr, reason=body.reason)
    return _return_out(access_return_request(request.shop, return_request_id))


@router.post("/returns/{return_request_id}/refund", response=ReturnOut, summary="Refund")
def return_refund_op(request, return_request_id: int, body: RefundIn):
    need(request, RETURNS_WRITE)
    rr = access_return_request(request.shop, return_request_id)
    return_refund(shop=request.shop, actor=actor(request), return_request=rr, amount=body.amount)
    return _return_out(access_return_request(request.shop, return_request_id))


def _return_out(rr: ReturnRequest) -> dict:
    due = rr.answer_due_on
    return {
        "id": rr.pk, "order_id": rr.order_id, "order_number": rr.order.number,
        "line_id": rr.line_id, "seller_sku": rr.line.seller_sku, "kind": rr.kind,
        "status": rr.status, "reason": rr.reason, "note": rr.note,
        "requested_at": rr.requested_at, "answer_due_on": due.isoformat() if due else None,
        "refund_amount": rr.refund_amount, "rejection_reason": rr.rejection_reason,
        "return_carrier": rr.return_carrier, "return_tracking": rr.return_tracking,
    }  # fmt: skip
