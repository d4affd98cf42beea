"""Which section (Rubrik) a WordPress post goes to.

The section-map file (`--section-map FILE`, TOML) names a section for WordPress category
slugs, and optionally the default:

    # Rubrik für Beiträge, deren Kategorien nichts zugeordnet ist
    default = "neuigkeiten"

    [categories]
    krypto = "trends"          # WordPress-Kategorie (Slug) = Rubrik (Slug)
    marktberichte = "trends"
    ratgeber = "tipps"

A post's categories are tried in order, Yoast's primary category first. For each, the
category itself and then its parents are looked up in the map; failing that, a top-level
category whose name or slug is a section's (Kategorie „Neuigkeiten“ → /neuigkeiten/) picks
that section. Posts matching nothing go to the default section: from the file, else the
`--default-section` option, else `WORDPRESS_DEFAULT_SECTION` (settings)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from kryptowelt.core.text import german_slugify


class SectionMapError(ValueError):
    """The section map cannot be used; the message is German."""


@dataclass
class SectionMap:
    categories: dict[str, str] = field(default_factory=dict)
    default: str = ""


def section_map_parse(text: str) -> SectionMap:
    try:
        data = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as exc:
        raise SectionMapError(f"Die Rubrik-Zuordnung ist kein gültiges TOML: {exc}") from exc
    unknown = set(data) - {"default", "categories"}
    if unknown:
        raise SectionMapError(
            "Unbekannte Angaben in der Rubrik-Zuordnung: "
            + ", ".join(sorted(unknown))
            + " (erlaubt: default, [categories])."
        )
    categories = data.get("categories", {})
    if not isinstance(categories, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in categories.items()
    ):
        raise SectionMapError(
            '[categories] muss Zeilen der Form kategorie-slug = "rubrik-slug" enthalten.'
        )
    default = data.get("default", "")
    if not isinstance(default, str):
        raise SectionMapError("„default“ muss ein Rubrik-Slug in Anführungszeichen sein.")
    return SectionMap(
        categories={
            key.strip().lower(): value.strip().lower() for key, value in categories.items()
        },
        default=default.strip().lower(),
    )


class SectionChooser:
    """Picks the section slug for a post; `sections` maps slug → title of the sections."""

    def __init__(self, *, index, sections: dict[str, str], section_map: SectionMap, default: str):
        self.index = index
        self.sections = sections
        self.map = section_map
        self.default = section_map.default or default
        problems = [
            f"„{slug}“ (Kategorie {category})"
            for category, slug in section_map.categories.items()
            if slug not in sections
        ]
        if self.default not in sections:
            problems.append(f"„{self.default}“ (Standard-Rubrik)")
        if problems:
            raise SectionMapError(
                "Diese Rubriken gibt es nicht: "
                + ", ".join(problems)
                + ". Vorhanden: "
                + ", ".join(sorted(sections))
                + "."
            )
        self._by_name = {}
        for slug, title in sections.items():
            self._by_name.setdefault(slug, slug)
            self._by_name.setdefault(german_slugify(title), slug)

    def for_categories(self, slugs: list[str]) -> str:
        for slug in slugs:
            chain = self.index.category_chain(slug) or [slug]
            for candidate in reversed(chain):
                if candidate in self.map.categories:
                    return self.map.categories[candidate]
            top = self.index.categories.get(chain[0])
            for name in (chain[0], german_slugify(top.name) if top else ""):
                if name and name in self._by_name:
                    return self._by_name[name]
        return self.default

    def for_category(self, slug: str) -> str | None:
        """The section a category's archive corresponds to, if any (for its old URL)."""
        if slug in self.map.categories:
            return self.map.categories[slug]
        if self.index.categories.get(slug) and not self.index.categories[slug].parent_slug:
            term = self.index.categories[slug]
            for name in (slug, german_slugify(term.name)):
                if name in self._by_name:
                    return self._by_name[name]
        return None
