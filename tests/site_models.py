"""Users' own models, as a site would write them (tests/test_user_models.py uses them).

Nothing here is known to frontmatter_qt: a Hugo page with nested ``params``, a Jekyll-style post
with aliases and a list of authors, and a model that forbids unknown keys.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class FunctionsAndMethods(BaseModel):
    aliases: list[str] = []
    return_type: str | None = Field(None, alias="returnType")
    signatures: list[str]


class Params(BaseModel):
    model_config = ConfigDict(extra="allow")
    functions_and_methods: FunctionsAndMethods | None = None


class HugoPage(BaseModel):
    model_config = ConfigDict(extra="allow")
    title: str
    link_title: str | None = Field(None, alias="linkTitle")
    description: str | None = None
    categories: list[str] = []
    keywords: list[str] = []
    weight: int | None = None
    aliases: list[str] = []
    params: Params | None = None


class Post(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    title: str
    summary: str | None = Field(None, alias="description")
    published: dt.date = Field(alias="date")
    authors: list[str]
    tags: list[str] = []
    layout: str | None = None


class Event(BaseModel):
    """A strict schema: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")
    title: str
    date: dt.date
    tags: list[str] = []
