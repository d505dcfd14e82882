"""Beanie document models. Every model MongoDB holds is listed in DOCUMENT_MODELS."""

from beanie import Document

from api.models.users import Token, User

DOCUMENT_MODELS: list[type[Document]] = [User, Token]

__all__ = ["DOCUMENT_MODELS", "Token", "User"]
