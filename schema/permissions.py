"""Role checks declared on fields and mutations. Object-level visibility is not here: it is
the per-collection filter in ``api.access`` that every read goes through."""

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.field import StrawberryField

from api.access import Role
from api.language import say
from schema.context import Info


def sign_in_first() -> str:
    return say("请先登录：此操作需要登录后进行", "Sign in first: this needs a signed-in user")


class SignedIn(BasePermission):
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        self.message = sign_in_first()
        return info.context.viewer.signed_in


class HasRole(BasePermission):
    """Allows the listed roles; tells an anonymous caller to sign in and others who may."""

    def __init__(self, roles: tuple[Role, ...]) -> None:
        self.roles = roles

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if viewer.has_role(*self.roles):
            return True
        if not viewer.signed_in:
            self.message = sign_in_first()
            self.error_extensions = SignedIn.error_extensions
        else:
            allowed = "、".join(f"{r.label}（{r}）" for r in self.roles)
            self.message = say(
                f"只有{allowed}可以进行此操作；你的角色是{viewer.role.label}（{viewer.role}）",
                f"Only {' or '.join(self.roles)} may do this; your role is {viewer.role}",
            )
            self.error_extensions = {"code": "FORBIDDEN"}
        return False


class _Declared(PermissionExtension):
    """A permission extension that also writes who may call the field into its description."""

    def __init__(self, permission: BasePermission, wording: str) -> None:
        super().__init__(permissions=[permission], fail_silently=False)
        self.wording = wording

    def apply(self, field: StrawberryField) -> None:
        super().apply(field)
        if self.wording not in (field.description or ""):
            field.description = f"{field.description or ''}\n\n{self.wording}".strip()


def signed_in() -> FieldExtension:
    """Any signed-in user may call the field."""
    return _Declared(SignedIn(), "Requires: a signed-in user.")


def roles(*allowed: Role) -> FieldExtension:
    """Only the given roles may call the field."""
    return _Declared(HasRole(allowed), f"Requires role: {', '.join(allowed)}.")
