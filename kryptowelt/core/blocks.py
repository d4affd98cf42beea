"""StreamField blocks shared by articles, standard pages and guides."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.embeds.blocks import EmbedBlock as WagtailEmbedBlock
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText, expand_db_html

from kryptowelt.core.sanitize import clean_embed_html, clean_rendered_rich_text

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class SanitizedRichText(RichText):
    """A rich-text value whose HTML is cleaned with nh3 every time it is rendered."""

    def __html__(self):
        html = clean_rendered_rich_text(expand_db_html(self.source))
        return render_to_string("wagtailcore/shared/richtext.html", {"html": html})


class SanitizedRichTextBlock(blocks.RichTextBlock):
    """RichTextBlock whose values render through nh3 (see SanitizedRichText).

    Stored exactly like Wagtail's RichTextBlock, so migrations refer to that class."""

    canonical_module_path = "wagtail.blocks.RichTextBlock"

    def to_python(self, value):
        return SanitizedRichText(value)

    def normalize(self, value):
        if isinstance(value, RichText):
            return SanitizedRichText(value.source)
        return SanitizedRichText(value and str(value))

    def value_from_form(self, value):
        return SanitizedRichText(super().value_from_form(value).source)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Ebene"),
        choices=[("h2", _("Zwischenüberschrift (H2)")), ("h3", _("Unterpunkt (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Zwischenüberschrift")
        template = "core/blocks/heading.html"
        description = _("Gliedert den Text; erscheint im Inhaltsverzeichnis.")
        preview_value = {"text": "Hintergrund des Angebots", "level": "h2"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["text"])[:60]
        return context


class ParagraphBlock(SanitizedRichTextBlock):
    canonical_module_path = "kryptowelt.core.blocks.ParagraphBlock"

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        kwargs.setdefault("label", _("Absatz"))
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "core/blocks/paragraph.html"
        description = _("Fließtext mit Fett, Kursiv, Links und Listen.")
        preview_value = "<p>Elon Musk und OpenAI haben eine lange gemeinsame Geschichte.</p>"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(
        label=_("Quelle/Person"),
        required=False,
        max_length=200,
        help_text=_("Wer hat es gesagt? Z. B. „Sam Altman, CEO von OpenAI“."),
    )

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "core/blocks/quote.html"
        description = _("Ein hervorgehobenes Zitat mit Angabe, wer es gesagt hat.")
        preview_value = {
            "text": "Nein, danke.",
            "attribution": "Sam Altman, CEO von OpenAI",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "core/blocks/image.html"
        description = _("Ein Bild mit Bildunterschrift; der Alternativtext kommt vom Bild.")


class TipBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), default="Tipp", max_length=120)
    text = SanitizedRichTextBlock(label=_("Text"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "tip"
        label = _("Tipp-Box")
        template = "core/blocks/tip.html"
        description = _(
            "Ein hervorgehobener Praxistipp. Artikel mit Tipps zeigen automatisch den "
            "Hinweis „Keine Anlageberatung“."
        )
        preview_value = {
            "title": "Kleine Beträge zuerst testen",
            "text": "<p>Senden Sie an eine neue Adresse zuerst einen kleinen Testbetrag.</p>",
        }


class EmbedBlock(blocks.StructBlock):
    embed = WagtailEmbedBlock(
        label=_("Adresse des Inhalts"),
        help_text=_("Link zu einem Video oder Beitrag, z. B. bei YouTube oder Vimeo."),
    )
    caption = blocks.CharBlock(label=_("Beschreibung"), required=False, max_length=300)

    class Meta:
        icon = "media"
        label = _("Eingebetteter Inhalt")
        template = "core/blocks/embed.html"
        description = _(
            "Wird für Leser erst nach einem Klick geladen, damit ohne Zustimmung keine "
            "Daten an Dritte gehen."
        )

    def get_context(self, value, parent_context=None):
        """Reads the embed stored when the editor saved the page; never fetches while a
        reader waits, and keeps nothing but a sanitised https iframe."""
        context = super().get_context(value, parent_context)
        embed_value = value.get("embed")
        embed = None
        if embed_value is not None:
            embed = Embed.objects.filter(hash=get_embed_hash(embed_value.url)).first()
        context["embed_url"] = embed_value.url if embed_value is not None else ""
        context["embed_title"] = embed.title if embed else ""
        context["embed_provider"] = embed.provider_name if embed else ""
        context["embed_html"] = clean_embed_html(embed.html) if embed else ""
        return context


class TableBlock(TypedTableBlock):
    """A table of text cells with a header row and caption, e.g. prices of a week.

    Stored like Wagtail's TypedTableBlock (its migrations refer to that class)."""

    def __init__(self, **kwargs):
        super().__init__(
            [("text", blocks.CharBlock(label=_("Text"), required=False, max_length=255))],
            **kwargs,
        )

    class Meta:
        icon = "table"
        label = _("Tabelle")
        template = "core/blocks/table.html"
        description = _("Eine Tabelle mit Kopfzeile und Beschriftung, z. B. Kurse einer Woche.")


def body_blocks():
    """The block set of an article body; a function so each StreamField gets fresh instances.

    Domain apps add blocks (price box, comparison table, …) through
    settings.KRYPTOWELT_EXTRA_BODY_BLOCKS, so this module need not know them."""
    extra = _extra_blocks(settings.KRYPTOWELT_EXTRA_BODY_BLOCKS)
    return [
        ("heading", HeadingBlock()),
        ("paragraph", ParagraphBlock()),
        ("quote", QuoteBlock()),
        ("image", ImageBlock()),
        ("tip", TipBlock()),
        ("embed", EmbedBlock()),
        ("table", TableBlock()),
        *extra,
    ]


def section_header_blocks():
    """Blocks a section can show above its article list (e.g. the market movers on
    "Trends"): all contributed by domain apps through settings.KRYPTOWELT_SECTION_BLOCKS."""
    return _extra_blocks(settings.KRYPTOWELT_SECTION_BLOCKS)


def _extra_blocks(entries) -> list[tuple[str, blocks.Block]]:
    return [(name, import_string(path)()) for name, path in entries]
