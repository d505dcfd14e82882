"""Beanie document models. Every model MongoDB holds is listed in DOCUMENT_MODELS."""

from beanie import Document

from api.models.regulations import Excerpt, FavoriteFolder, Regulation
from api.models.users import Token, User

DOCUMENT_MODELS: list[type[Document]] = [User, Token, Regulation, Excerpt, FavoriteFolder]

__all__ = ["DOCUMENT_MODELS", "Excerpt", "FavoriteFolder", "Regulation", "Token", "User"]
