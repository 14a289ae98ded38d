"""The catalog (案件分类目录) as clients need it to report and dispatch: the categories of
both families with their conditions, default department, limits and urgent tier; the
departments; the urgent tiers. It is data the server loaded, not a view of the log."""

from __future__ import annotations

import strawberry

from api.auth import SignedIn
from api.context import Info
from domain import catalog


@strawberry.type(description="Bilingual text.")
class Text:
    zh: str
    en: str


@strawberry.type
class Department:
    code: str
    name: Text


@strawberry.type(description="How fast an urgent case must be handled (紧急程度).")
class UrgentTier:
    code: str
    name: Text
    limit: str = strawberry.field(description="e.g. '2 work hours'")


@strawberry.type(description="A major class (大类) of a family.")
class MajorClass:
    family: str
    code: str
    name: Text


@strawberry.type(description="A choice of a list question.")
class Choice:
    key: str
    name: Text


@strawberry.type(description="An extra question a report may answer (补充信息).")
class Question:
    code: str = strawberry.field(description="The answer's key: reportCase answers[].question.")
    datatype: str = strawberry.field(
        description="string, number, datetime, text, singlevaluelist or multivaluelist"
    )
    required: bool = strawberry.field(description="The public's forms may not leave it open.")
    description: Text
    hint: Text | None
    choices: list[Choice]


@strawberry.type(description="A minor class (小类): what a case is filed and dispatched under.")
class Category:
    code: str = strawberry.field(description="e.g. 'C0101', 'E0301'")
    family: str = strawberry.field(description="component (部件) or event (事件)")
    major: MajorClass
    name: Text
    filing_condition: Text = strawberry.field(description="立案条件")
    closing_condition: Text = strawberry.field(description="结案条件")
    department: str = strawberry.field(description="The department it goes to by default.")
    limit: str = strawberry.field(description="The handling limit, from dispatch.")
    urgent_tier: str
    public: bool = strawberry.field(description="Shown to the public (Open311, open data).")
    questions: list[Question]


@strawberry.type
class Catalog:
    version: str
    categories: list[Category]
    departments: list[Department]
    urgent_tiers: list[UrgentTier]


@strawberry.type
class Query:
    @strawberry.field(description="The case catalog in force.", permission_classes=[SignedIn])
    def catalog(self, info: Info) -> Catalog:
        found = info.context.services.app.catalog
        return Catalog(
            version=found.version,
            categories=[_category(c) for c in found.categories()],
            departments=[Department(code=d.code, name=_text(d.name)) for d in found.departments],
            urgent_tiers=[
                UrgentTier(code=t.code, name=_text(t.name), limit=str(t.limit)) for t in found.tiers
            ],
        )


def _category(found: catalog.Category) -> Category:
    major = found.major
    return Category(
        code=found.code,
        family=found.family.value,
        major=MajorClass(family=major.family.value, code=major.code, name=_text(major.name)),
        name=_text(found.name),
        filing_condition=_text(found.filing_condition),
        closing_condition=_text(found.closing_condition),
        department=found.department,
        limit=str(found.limit),
        urgent_tier=found.urgent_tier,
        public=found.public,
        questions=[_question(q) for q in found.questions],
    )


def _question(found: catalog.Question) -> Question:
    return Question(
        code=found.code,
        datatype=found.datatype.value,
        required=found.required,
        description=_text(found.description),
        hint=None if found.hint is None else _text(found.hint),
        choices=[Choice(key=c.key, name=_text(c.name)) for c in found.choices],
    )


def _text(name: catalog.Name) -> Text:
    return Text(zh=name.zh, en=name.en)
