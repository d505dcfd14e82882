"""Beanie document models. Every model MongoDB holds is listed in DOCUMENT_MODELS."""

from beanie import Document

from api.models.budget import (
    BudgetImport,
    BudgetLine,
    BudgetRollup,
    BudgetYear,
    Classification,
    DebtFigure,
    Department,
    DirectFundAllocation,
    DirectFundSum,
    Execution,
    Fund,
    KeyProject,
    Region,
    TownshipFigure,
)
from api.models.complaints import Complaint, SubmissionMark
from api.models.livelihood import LivelihoodProject, LivelihoodVote
from api.models.notifications import Notification
from api.models.people import CongressSession, Deputy, Unit
from api.models.rectification import AuditFinding, Opinion
from api.models.regulations import Excerpt, FavoriteFolder, Regulation
from api.models.suggestions import Suggestion, SuggestionTally
from api.models.users import SignInFailure, Token, User
from api.models.warnings import BudgetWarning, WarningRule
from api.models.work_evaluation import WorkEvaluation

DOCUMENT_MODELS: list[type[Document]] = [
    User,
    Token,
    SignInFailure,
    Regulation,
    Excerpt,
    FavoriteFolder,
    CongressSession,
    Deputy,
    Unit,
    Suggestion,
    SuggestionTally,
    Region,
    Department,
    Classification,
    BudgetImport,
    BudgetRollup,
    BudgetYear,
    BudgetLine,
    Execution,
    KeyProject,
    DebtFigure,
    Fund,
    Opinion,
    AuditFinding,
    WarningRule,
    BudgetWarning,
    Notification,
    LivelihoodProject,
    LivelihoodVote,
    WorkEvaluation,
    DirectFundAllocation,
    DirectFundSum,
    TownshipFigure,
    Complaint,
    SubmissionMark,
]

__all__ = [
    "DOCUMENT_MODELS",
    "CongressSession",
    "Deputy",
    "Excerpt",
    "FavoriteFolder",
    "Regulation",
    "Suggestion",
    "Token",
    "Unit",
    "User",
]
