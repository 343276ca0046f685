"""The typed view wired into Document: doc.article, its cache, write-back and strict mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import QUICKTAKES

import frontmatter_qt as fq

SEED = QUICKTAKES / "000-seed.md"


def test_article_edit_through_the_document_changes_only_its_lines() -> None:
    text = SEED.read_text("utf-8")
    doc = fq.loads(text)
    article = doc.article
    article.title = "Edited through the model"
    article.seo.keywords = [*article.seo.keywords, "biopsy"]
    doc.article = article
    expected = text.replace(
        "title: >-\n    What role do imaging techniques play in the diagnosis of liver cancer?\n"
        "article_title",
        "title: >-\n    Edited through the model\narticle_title",
        1,
    ).replace(
        "vascularity,lesion characterization\n", "vascularity,lesion characterization,biopsy\n"
    )
    assert doc.dumps() == expected


def test_update_with_an_article_is_the_same_as_assigning_it() -> None:
    doc = fq.load(SEED)
    article = doc.article
    article.score = 3.5
    doc.update(article)
    assert doc["score"] == 3.5
    doc.update({"subject": "Oncology"}, author="Ana")
    assert (doc["subject"], doc["author"]) == ("Oncology", "Ana")


def test_article_is_cached_until_the_data_changes_and_returned_as_a_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from frontmatter_qt import models

    calls: list[str] = []
    validate = models.validate

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append("validated")
        return validate(*args, **kwargs)

    monkeypatch.setattr(models, "validate", counting)
    doc = fq.load(SEED)
    first = doc.article
    first.title = "changed but never written back"
    second = doc.article
    assert second.title != first.title
    assert doc.article == second and doc.article is not second
    assert len(calls) == 1  # no re-validation while the data is unchanged
    doc["title"] = "New"
    assert doc.article.title == "New"
    assert len(calls) == 2


def test_strict_mode_refuses_coercion(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text(SEED.read_text("utf-8").replace("id: 97068", 'id: "97068"', 1), "utf-8")
    lax = fq.load(path)
    assert lax.article.id == 97068
    with pytest.raises(fq.errors.ArticleValidationError) as caught:
        lax.article_strict  # noqa: B018 - the property validates
    assert (caught.value.line, caught.value.column) == (3, 5)
    assert str(caught.value).startswith(f"{path}:3:5: id: ")
    with pytest.raises(fq.errors.ArticleValidationError):
        fq.load(path, strict=True).article  # noqa: B018
