"""Extra questions (补充信息) a report of a category may answer: what a resident's app
shows as a form — Open311's service definition attributes. The catalog asks them as
data; a report carries the answers; the rules here check them.

An answer is the question's code and its values (several only for a multiple choice).
A report may leave a question unanswered; the public's form (Open311) refuses a request
that leaves a `required` one unanswered, since only that form shows the questions."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.catalog.bilingual import Name
from domain.errors import RuleBroken

MAX_ANSWER = 1000
"""Characters of one value: a question asks for a detail, the description tells the story."""
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
"""A question's code and a choice's key: they travel in form fields (attribute[CODE])."""
_NUMBER = re.compile(r"-?\d{1,12}(\.\d{1,6})?")


class Datatype(StrEnum):
    STRING = "string"  # one line of text
    NUMBER = "number"  # a decimal number
    DATETIME = "datetime"  # an ISO 8601 instant with its zone
    TEXT = "text"  # text that may hold line breaks
    SINGLEVALUELIST = "singlevaluelist"  # one of the choices
    MULTIVALUELIST = "multivaluelist"  # some of the choices

    @property
    def is_list(self) -> bool:
        return self in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


class AnswerRefused(RuleBroken):
    """An answer the category's questions do not allow."""


@dataclass(frozen=True)
class Choice:
    key: str
    name: Name


@dataclass(frozen=True)
class Question:
    code: str
    datatype: Datatype
    required: bool
    description: Name  # what is asked
    hint: Name | None = None  # how to answer (Open311's datatype_description)
    choices: tuple[Choice, ...] = ()  # for the list datatypes

    def check(self, values: Sequence[str]) -> None:
        """The values answer this question, or AnswerRefused names what is wrong."""
        if not values:
            raise AnswerRefused(f"question {self.code}: give a value")
        if len(values) > 1 and self.datatype is not Datatype.MULTIVALUELIST:
            raise AnswerRefused(f"question {self.code} takes one value, not {len(values)}")
        if len(set(values)) != len(values):
            raise AnswerRefused(f"question {self.code}: a choice is given twice")
        for value in values:
            self._check_value(value)

    def _check_value(self, value: str) -> None:
        if not value.strip():
            raise AnswerRefused(f"question {self.code}: give a value, not blank text")
        if len(value) > MAX_ANSWER:
            raise AnswerRefused(f"question {self.code}: {MAX_ANSWER} characters at most")
        match self.datatype:
            case Datatype.STRING if "\n" in value or "\r" in value:
                raise AnswerRefused(f"question {self.code} takes one line, without line breaks")
            case Datatype.NUMBER if not _NUMBER.fullmatch(value.strip()):
                raise AnswerRefused(f"question {self.code} takes a number, not {value!r}")
            case Datatype.DATETIME if not _instant(value):
                raise AnswerRefused(
                    f"question {self.code} takes a date and time with its zone "
                    f"(2026-03-09T09:00:00+08:00), not {value!r}"
                )
            case Datatype.SINGLEVALUELIST | Datatype.MULTIVALUELIST if value not in self.keys:
                raise AnswerRefused(
                    f"question {self.code}: {value!r} is not one of {', '.join(self.keys)}"
                )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(choice.key for choice in self.choices)


def _instant(value: str) -> bool:
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return at.utcoffset() is not None and math.isfinite(at.timestamp())


def check_answers(
    category: str, questions: Sequence[Question], answers: Mapping[str, Sequence[str]]
) -> None:
    """Every answer is to one of the category's questions and fits it."""
    asked = {question.code: question for question in questions}
    for code, values in answers.items():
        question = asked.get(code)
        if question is None:
            known = ", ".join(asked) or "none"
            raise AnswerRefused(f"category {category} asks no question {code!r} (it asks: {known})")
        question.check(values)


def unanswered(
    questions: Sequence[Question], answers: Mapping[str, Sequence[str]]
) -> tuple[Question, ...]:
    """The required questions the answers leave open."""
    return tuple(q for q in questions if q.required and not answers.get(q.code))
