"""Article body blocks: a comparison table (by kind and filter) and a single provider box.

Registered through settings.KRYPTOWELT_EXTRA_BODY_BLOCKS, so every article can use them."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from kryptowelt.comparisons import kinds, scoring, selectors, tables


class ComparisonTableBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Überschrift"), required=False, max_length=120)
    kind = blocks.ChoiceBlock(
        label=_("Vergleich"),
        choices=[(kind.slug, kind.title) for kind in kinds.KINDS.values()],
        default="krypto-boersen",
    )
    only_eu = blocks.BooleanBlock(label=_("Nur mit MiCA-Zulassung"), required=False)
    only_sparplan = blocks.BooleanBlock(label=_("Nur mit Sparplan"), required=False)
    only_sepa = blocks.BooleanBlock(label=_("Nur mit SEPA-Einzahlung"), required=False)
    only_staking = blocks.BooleanBlock(label=_("Nur mit Staking"), required=False)
    min_coins = blocks.IntegerBlock(
        label=_("Mindestens … Kryptowerte"), required=False, min_value=0, max_value=100000
    )
    sort = blocks.ChoiceBlock(
        label=_("Sortierung"),
        choices=list(kinds.SORTS_TRADING.items()),
        default="score",
    )
    limit = blocks.IntegerBlock(
        label=_("Höchstens … Anbieter"), default=8, min_value=1, max_value=30
    )

    class Meta:
        icon = "table"
        label = _("Vergleichstabelle")
        template = "comparisons/blocks/comparison_table.html"
        description = _(
            "Zeigt Anbieter einer Art aus dem Vergleich – mit Score, Kosten, Quellen und Stand. "
            "Die Zahlen kommen immer aktuell aus den Anbieterdaten. Sparpläne werden immer nach "
            "den Kosten eines Plans gereiht, Staking nach dem Anteil des Anbieters."
        )
        preview_value = {"kind": "krypto-boersen", "sort": "score", "limit": 5}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        kind = kinds.KINDS.get(value.get("kind")) or kinds.KINDS["krypto-boersen"]
        filters = {
            "eu": bool(value.get("only_eu")),
            "sparplan": bool(value.get("only_sparplan")),
            "sepa": bool(value.get("only_sepa")),
            "staking": bool(value.get("only_staking")),
            "min_coins": value.get("min_coins"),
        }
        context.update(
            tables.kind_table(
                kind=kind,
                filters=filters,
                sort=value.get("sort") or "score",
                limit=value.get("limit") or 8,
            )
        )
        return context


class ProviderBoxBlock(blocks.StructBlock):
    provider = SnippetChooserBlock("comparisons.Provider", label=_("Anbieter"))
    heading = blocks.CharBlock(
        label=_("Überschrift"), required=False, max_length=120, help_text=_("Optional.")
    )

    class Meta:
        icon = "pick"
        label = _("Anbieter-Box")
        template = "comparisons/blocks/provider_box.html"
        description = _(
            "Ein Anbieter mit Score, Kosten, Regulierung und Link – die Werte kommen aus den "
            "Anbieterdaten, mit Quelle und Stand."
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        provider = value.get("provider")
        row = None
        if provider is not None:
            live = selectors.provider_queryset().filter(pk=provider.pk).first()
            if live is not None:
                row = selectors.provider_row(provider=live)
        context.update({"row": row, "reference_amount": scoring.REFERENCE_AMOUNT})
        return context
