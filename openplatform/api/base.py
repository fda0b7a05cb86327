"""What every resource module shares: the scope check, the acting member, strict input schemas,
ETags."""

import hashlib

from ninja import Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from openplatform.api.errors import PreconditionFailed


class Input(Schema):
    """Request bodies: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


def need(request, scope: str) -> None:
    if scope not in request.api_app.scopes:
        raise HttpError(403, f"This app was not given the {scope} scope.")


def actor(request):
    """The member who authorized the app: services record them as the one who acted."""
    return request.api_actor


def etag_of(*parts) -> str:
    return '"' + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:20] + '"'


def if_match(request, current: str) -> None:
    """A stale If-Match is refused (412); without the header the write goes ahead."""
    wanted = request.headers.get("if-match")
    if wanted is None or wanted.strip() == "*":
        return
    if current not in {tag.strip().removeprefix("W/") for tag in wanted.split(",")}:
        raise PreconditionFailed("The object changed since you read it: read it again.")
