"""Password attempts (sign-in and password change): where a request comes from, and whether
it may try a password now.

The lock is per account *and* client address: five failures on ``li`` from one address
refuse further attempts on ``li`` from that address only, so an outsider guessing ``li``'s
password cannot lock ``li`` out. Twenty failures from one address, across accounts, refuse
that address. Both count within ``sign_in_window_minutes``. The client address is the direct
peer's, unless that peer is a trusted proxy (setting ``trusted_proxies``): then it is the
last address in ``X-Forwarded-For`` that is not itself a trusted proxy.
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from beanie import PydanticObjectId
from pydantic import IPvAnyNetwork

from api.errors import DomainError, ErrorCode
from api.language import say
from api.models.users import SignInFailure, utcnow
from api.settings import Settings


def _trusted(address: str, proxies: Sequence[IPvAnyNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(peer: str | None, forwarded_for: Sequence[str], settings: Settings) -> str:
    """The client's address: ``peer`` (the direct connection), unless it is a trusted proxy;
    then the right-most ``X-Forwarded-For`` entry that is not a trusted proxy (entries to
    its left were written by the client and prove nothing)."""
    address = peer or ""
    proxies = settings.trusted_proxies
    if not proxies or not _trusted(address, proxies):
        return address
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed([h for h in hops if h]):
        address = hop
        if not _trusted(hop, proxies):
            break
    return address


@dataclass
class Attempt:
    """One password check under way, counted before it is made (so attempts sent at once
    cannot all pass the count). ``passed()`` takes it back and clears the pair's failures;
    otherwise it stays, as a failure."""

    pair: str
    ids: list[PydanticObjectId]

    async def passed(self) -> None:
        """The password was right: this attempt and the pair's failures are forgotten (the
        address's failures on other accounts stay)."""
        await SignInFailure.find({"$or": [{"_id": {"$in": self.ids}}, {"key": self.pair}]}).delete()


def pair_key(username: str, address: str) -> str:
    """The key failures of one account from one address are counted under."""
    return f"account:{username}|{address}"


async def begin(*, username: str, address: str, settings: Settings) -> Attempt:
    """Count an attempt on ``username`` from ``address``; refused (RATE_LIMITED, the attempt
    taken back) when the pair or the address is over its limit within the window."""
    keys = {pair_key(username, address): settings.sign_in_failures_per_account}
    if address:
        keys[f"address:{address}"] = settings.sign_in_failures_per_address
    now = utcnow()
    window = timedelta(minutes=settings.sign_in_window_minutes)
    records = [
        SignInFailure(id=PydanticObjectId(), key=key, at=now, expires_at=now + window)
        for key in keys
    ]
    await SignInFailure.insert_many(records)
    ids = [r.id for r in records if r.id is not None]
    for key, allowed in keys.items():
        if await SignInFailure.find({"key": key, "at": {"$gt": now - window}}).count() > allowed:
            await SignInFailure.find({"_id": {"$in": ids}}).delete()
            raise DomainError(
                ErrorCode.RATE_LIMITED,
                say(
                    f"失败次数过多，请 {settings.sign_in_window_minutes} 分钟后再试",
                    f"Too many failed attempts: try again in "
                    f"{settings.sign_in_window_minutes} minutes",
                ),
            )
    return Attempt(pair=pair_key(username, address), ids=ids)
