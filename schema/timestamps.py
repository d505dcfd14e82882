"""One shape for every timestamp the API sends: UTC, to the millisecond (what MongoDB keeps),
ending in ``Z``, e.g. ``2026-12-03T08:15:30.120Z``. Without it a timestamp read back from
MongoDB, one just written in this process and one that fell on a whole second came out with
milliseconds, microseconds or no fraction at all."""

from datetime import UTC, datetime

import strawberry

from api.language import say


def serialize(value: datetime) -> str:
    """A naive value is UTC (as MongoDB returns them without ``tz_aware``)."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(value: str) -> datetime:
    """ISO 8601 with or without an offset (without: UTC)."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(
            say(
                f"“{value}”不是 ISO 8601 时间（例如 2026-12-03T08:15:30Z）",
                f'"{value}" is not an ISO 8601 time (e.g. 2026-12-03T08:15:30Z)',
            )
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


TIMESTAMP = strawberry.scalar(
    name="DateTime",
    serialize=serialize,
    parse_value=parse,
    description="A moment, ISO 8601 in UTC to the millisecond, e.g. "
    '"2026-12-03T08:15:30.120Z". Given: any ISO 8601 moment; without an offset it is UTC.',
)
