"""Reads for the pages that list a provider's figures one by one: the provider page (and its
admin preview) and the side-by-side table."""

from __future__ import annotations

from dataclasses import dataclass

from kryptowelt.comparisons import fees, figures, scoring
from kryptowelt.comparisons.facts import Fact
from kryptowelt.comparisons.models import Provider
from kryptowelt.comparisons.selectors import ProviderRow, provider_row, table_stand

WALLET_SKIPPED_GROUPS = {"handel", "einzahlung", "auszahlung", "sparplan", "staking", "regulierung"}
# Figures listed only where they exist: most providers have no minimum commission, and
# serving Germany is the rule (a provider that does not is marked prominently).
SHOWN_ONLY_WHEN_PRESENT = {"available_de", "commission_min_eur"}


@dataclass
class FigureLine:
    spec: figures.FigureSpec
    fact: Fact | None
    label: str


def _skipped(row: ProviderRow) -> tuple[set[str], set[str]]:
    if row.group == scoring.WALLET:
        return WALLET_SKIPPED_GROUPS, {
            "twofa",
            "cold_storage_pct",
            "proof_of_reserves",
            "insurance",
        }
    if row.provider.pricing == fees.ORDERBOOK:
        return {"wallet"}, {"commission_pct", "commission_min_eur", "spread_pct"}
    return {"wallet"}, {"maker_pct", "taker_pct"}


def figure_groups(row: ProviderRow) -> list[dict]:
    """Every figure of the catalogue that applies to this provider, grouped, with its fact or
    None ("nicht geprüft"). Coin-specific figures follow the provider-wide one; without a
    provider-wide figure only the coin-specific ones are listed."""
    skip_groups, skip_keys = _skipped(row)
    groups = []
    for group_key, group_label in figures.GROUPS:
        if group_key in skip_groups:
            continue
        lines = []
        for spec in figures.SPECS.values():
            if spec.group != group_key or spec.key in skip_keys:
                continue
            per_coin = row.facts.per_coin(spec.key)
            default = row.facts.get(spec.key)
            if default is None and spec.key in SHOWN_ONLY_WHEN_PRESENT:
                pass
            elif default is not None or not per_coin:
                lines.append(FigureLine(spec, default, spec.label))
            for fact in per_coin:
                lines.append(FigureLine(spec, fact, f"{spec.label} ({fact.coin})"))
        if lines:
            groups.append({"key": group_key, "label": group_label, "lines": lines})
    return groups


def side_by_side_groups(rows: list[ProviderRow]) -> list[dict]:
    """The figure groups of several providers as rows of one table: one line per figure
    label, one cell per provider (None where the figure does not apply to that provider)."""
    per_row = [figure_groups(row) for row in rows]
    labels: dict[str, dict] = {}
    for provider_groups in per_row:
        for group in provider_groups:
            entry = labels.setdefault(group["key"], {"label": group["label"], "lines": {}})
            for line in group["lines"]:
                entry["lines"].setdefault(line.label, line.spec)
    groups = []
    for key, entry in labels.items():
        lines = []
        for label in entry["lines"]:
            cells = []
            for provider_groups in per_row:
                match = None
                for group in provider_groups:
                    if group["key"] != key:
                        continue
                    for line in group["lines"]:
                        if line.label == label:
                            match = line
                cells.append(match)
            lines.append({"label": label, "cells": cells})
        groups.append({"label": entry["label"], "lines": lines})
    return groups


def provider_detail_context(*, provider: Provider, request=None) -> dict:
    row = provider_row(provider=provider)
    return {
        "row": row,
        "provider": provider,
        "figure_groups": figure_groups(row),
        "stand": table_stand([row]),
        "criteria": scoring.CRITERIA,
        "weights": scoring.DEFAULT_WEIGHTS,
        "reference_amount": scoring.REFERENCE_AMOUNT,
        "min_coverage": scoring.MIN_COVERAGE_PCT,
        "page_title": f"{provider.name} im Vergleich: Gebühren, Regulierung, Score",
        "meta_description": provider.summary[:300],
    }
