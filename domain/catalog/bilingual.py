"""Bilingual text: operators read Chinese, integrating apps often need English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"

    def text(self, language: str) -> str:
        """The text in `language` ('en'; anything else is Chinese)."""
        return self.en if language == "en" else self.zh
