"""Expected failures of domain operations, reported to users as data, not exceptions."""

from api.labels import LabeledEnum
from api.language import say


class ErrorCode(LabeledEnum):
    """Why an operation was refused. Mutations return these in ``errors``."""

    INVALID_INPUT = "INVALID_INPUT", "输入不符合要求"
    NOT_FOUND = "NOT_FOUND", "对象不存在或无权查看"
    ALREADY_EXISTS = "ALREADY_EXISTS", "对象已存在"
    CONFLICT = "CONFLICT", "与当前状态冲突"
    FORBIDDEN = "FORBIDDEN", "无权执行此操作"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS", "用户名或密码错误"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED", "账号已停用"
    SEARCH_UNAVAILABLE = "SEARCH_UNAVAILABLE", "检索服务暂不可用"
    RATE_LIMITED = "RATE_LIMITED", "尝试过于频繁，请稍后再试"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE", "数据库暂不可用"


def database_down() -> str:
    """What a client is told when MongoDB does not answer (a PyMongo ``ConnectionFailure``)."""
    return say(
        "数据库暂时无法访问，请稍后再试", "The database cannot be reached now; try again later"
    )


class DomainError(Exception):
    """A refusal the caller can act on: what went wrong (code), where (field), and why
    (``message``, in the request's language: ``say(zh, en)``)."""

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def required_text(value: str, *, field: str, max_length: int, what: str) -> str:
    """``value`` without surrounding blanks; refused when empty or longer than ``max_length``.
    ``what`` names it in the request's language: ``say("理由", "reason")``."""
    text = value.strip()
    if not text or len(text) > max_length:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"{what}应为 1 到 {max_length} 个字",
                f"The {what} must be 1 to {max_length} characters long",
            ),
            field=field,
        )
    return text


def optional_text(value: str, *, field: str, max_length: int, what: str) -> str:
    """``value`` without surrounding blanks, possibly empty; refused when too long.
    ``what`` names it in the request's language: ``say("备注", "note")``."""
    text = value.strip()
    if len(text) > max_length:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            say(
                f"{what}最多 {max_length} 个字",
                f"The {what} may have at most {max_length} characters",
            ),
            field=field,
        )
    return text


class AuthenticationError(Exception):
    """A bearer token that cannot be used: the request is refused with HTTP 401 (``message``
    in the request's language, ``say(zh, en)``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
