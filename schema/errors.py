"""How failures reach clients.

- Expected failures of a mutation are data: ``errors: [UserError!]!`` in its payload. The
  ``UserErrors`` field extension is the one place a ``DomainError`` becomes that list.
- Refusals of a query or field (bad argument, not allowed) are GraphQL errors with
  ``extensions.code``: raise ``ClientError``.
- MongoDB not answering (a PyMongo ``ConnectionFailure``) is DATABASE_UNAVAILABLE, not a bug.
- A transaction that met another's write and was not tried again (one not run through
  ``api.transactions.retried``) is CONFLICT: nothing was written, and trying again works.
- Anything else is a bug: masked to "服务器内部错误" with an id that is in the log.
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from pymongo.errors import ConnectionFailure
from strawberry.extensions import FieldExtension, MaskErrors
from strawberry.types.field import StrawberryField

from api.errors import DomainError, ErrorCode, database_down
from api.language import say
from api.transactions import busy, is_transient
from schema import engine_words
from schema.enums import graphql_enum

log = logging.getLogger("jiandu.graphql")

graphql_enum(ErrorCode, description="Why an operation was refused.")


class ClientError(GraphQLError):
    """A refusal the client caused and can fix; shown as is, with a code."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        extensions = {"code": code, **({"field": field} if field else {})}
        super().__init__(message, extensions=extensions)


@strawberry.type(description="An expected failure of a mutation, for the user to act on.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null when it is the whole input."
    )
    code: ErrorCode = strawberry.field(description="What kind of failure this is.")
    message: str = strawberry.field(
        description="What went wrong and what to do, in words: Chinese, or English when the "
        "request's Accept-Language prefers it."
    )

    @classmethod
    def from_domain(cls, error: DomainError) -> "UserError":
        return cls(field=error.field, code=error.code, message=error.message)


class UserErrors(FieldExtension):
    """Turns a ``DomainError`` raised by a mutation into its payload's ``errors``."""

    payload: Any

    def apply(self, field: StrawberryField) -> None:
        self.payload = field.type

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as error:
            return self.payload(errors=[UserError.from_domain(error)])
        except Exception as error:
            if not is_transient(error):
                raise
            log.warning("a transaction met another's write: %s", error)
            return self.payload(errors=[UserError.from_domain(busy())])


def _is_internal(error: GraphQLError) -> bool:
    """A resolver's unexpected exception. An error without a path came before execution: a
    literal a scalar refused (a malformed Money, say) is the client's, and says why."""
    original = error.original_error
    return (
        original is not None
        and error.path is not None
        and not isinstance(original, (GraphQLError, DomainError, ConnectionFailure))
        and not is_transient(original)
    )


class MaskInternalErrors(MaskErrors):
    """Hides unexpected exceptions behind an error id, and logs them whole under that id.

    A ``DomainError`` raised by a query (not a mutation, whose payload carries it) is shown
    with its code and field.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_internal)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        for error in errors:
            if error.original_error is not None and is_transient(error.original_error):
                error.message = busy().message
                error.extensions = {"code": ErrorCode.CONFLICT.value}
            elif isinstance(error.original_error, DomainError):
                domain = error.original_error
                error.extensions = {"code": domain.code.value, "field": domain.field}
            elif isinstance(error.original_error, ConnectionFailure):
                log.warning("MongoDB does not answer: %s", error.original_error)
                error.message = database_down()
                error.extensions = {"code": ErrorCode.DATABASE_UNAVAILABLE.value}
            elif (
                error.path is not None
                and not _is_internal(error)
                and "code" not in (error.extensions or {})
            ):
                # The engine's own refusal of a value while running (an id that is no
                # global id): the client's input. (Refusals before running get theirs in
                # schema.http.)
                error.message = say(
                    f"参数的值无效：{engine_words.chinese(error.message)}",
                    f"Invalid argument value: {error.message}",
                )
                error.extensions = {**(error.extensions or {}), "code": "INVALID_INPUT"}
        return super()._process_errors(errors)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error_id = uuid.uuid4().hex[:12]
        log.error(
            "unexpected error in GraphQL resolver",
            exc_info=error.original_error,
            extra={"error_id": error_id, "path": error.path},
        )
        return GraphQLError(
            message=say(
                f"服务器内部错误（编号 {error_id}）：请把编号告诉系统管理员",
                f"Internal server error (id {error_id}): tell the administrator this id",
            ),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
        )
