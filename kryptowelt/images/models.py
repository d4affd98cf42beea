from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition


class CustomImage(AbstractImage):
    """An image that always carries alt text and may carry a credit line.

    Wagtail's optional `description` is its alt text; we make it required, because every image
    we show must be described for screen readers. The credit is shown under hero images."""

    description = models.CharField(
        _("Alternativtext"),
        max_length=255,
        help_text=_(
            "Beschreibt den Bildinhalt für Menschen, die das Bild nicht sehen "
            "(Screenreader). Pflichtfeld."
        ),
    )
    credit = models.CharField(
        _("Bildnachweis"),
        max_length=255,
        blank=True,
        help_text=_("Urheber oder Quelle, z. B. „Grafik: Kryptowelt“."),
    )

    admin_form_fields = (
        "title",
        "file",
        "description",
        "credit",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")
        permissions = [("choose_image", "Can choose image")]

    @property
    def alt_text(self) -> str:
        return self.description or self.title


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    @property
    def alt(self) -> str:
        return self.image.alt_text
