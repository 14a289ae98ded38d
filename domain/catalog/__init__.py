"""The case catalog: what a case may be about, who handles it and how fast, whether the
public may see it, and the extra questions a report of it may answer."""

from domain.catalog.bilingual import Name
from domain.catalog.catalog import Catalog
from domain.catalog.entries import (
    CatalogInvalid,
    Category,
    Department,
    Family,
    MajorClass,
    UnknownCategory,
    UnknownDepartment,
    UrgentTier,
)
from domain.catalog.questions import AnswerRefused, Choice, Datatype, Question

__all__ = [
    "AnswerRefused",
    "Catalog",
    "CatalogInvalid",
    "Category",
    "Choice",
    "Datatype",
    "Department",
    "Family",
    "MajorClass",
    "Name",
    "Question",
    "UnknownCategory",
    "UnknownDepartment",
    "UrgentTier",
]
