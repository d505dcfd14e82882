"""Demo data for local use: one account per role, password ``demo``.

Loaded on the first start of ``make run`` (and by ``jiandu seed``); refused in production,
where weak shared passwords must never exist.
"""

from dataclasses import dataclass

from api.access import Role
from api.models.users import User
from api.services.users import create_user
from api.settings import Settings

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("deputy", "王立新（县人大代表）", Role.DEPUTY),
    DemoAccount("staff", "李晓梅（选联工委）", Role.STAFF),
    DemoAccount("handler", "赵建国（县交通运输局）", Role.HANDLER),
    DemoAccount("finance", "陈思远（县财政局）", Role.FINANCE),
    DemoAccount("admin", "系统管理员", Role.ADMIN),
)


class DemoRefused(RuntimeError):
    pass


async def needs_demo_data() -> bool:
    """First start: no account exists yet."""
    return await User.find_one({}) is None


async def load_demo(settings: Settings) -> list[DemoAccount]:
    """Create the demo accounts that are missing; returns the ones created."""
    if settings.is_production:
        raise DemoRefused("demo accounts are refused in production (JIANDU_ENV=production)")
    created = []
    for account in DEMO_ACCOUNTS:
        if await User.find_one({"username": account.username}) is not None:
            continue
        await create_user(
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            password=DEMO_PASSWORD,
            enforce_policy=False,
        )
        created.append(account)
    return created
