"""The upload form of the admin's WordPress import."""

from django import forms
from django.conf import settings

from kryptowelt.news.models import SectionPage
from kryptowelt.wordpress.runs import media_dir_check
from kryptowelt.wordpress.sections import SectionMapError, section_map_parse

SNIFF_BYTES = 4096


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Exportdatei (WXR)",
        help_text="In WordPress unter Werkzeuge → Daten exportieren → Alle Inhalte erstellt.",
    )
    dry_run = forms.BooleanField(
        label="Probelauf",
        required=False,
        help_text="Alles prüfen und berichten, aber nichts speichern.",
    )
    fetch_media = forms.BooleanField(
        label="Medien von der alten Website laden",
        required=False,
        help_text="Bilder und Dokumente werden von der Adresse der alten Website geladen.",
    )
    media_dir = forms.CharField(
        label="oder: Medienordner auf dem Server",
        required=False,
        help_text="Kopie von wp-content/uploads, unterhalb des Ordners WORDPRESS_MEDIA_ROOT.",
    )
    default_section = forms.ChoiceField(label="Standard-Rubrik", required=False)
    section_map = forms.CharField(
        label="Rubrik-Zuordnung (optional, TOML)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text='Eine Zeile je Kategorie unter [categories], z. B. krypto = "trends".',
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sections = SectionPage.objects.order_by("path").values_list("slug", "title")
        self.fields["default_section"].choices = [
            ("", f"Voreinstellung ({settings.WORDPRESS_DEFAULT_SECTION})"),
            *sections,
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        if b"<rss" not in head or b"wordpress.org/export/" not in head:
            raise forms.ValidationError(
                "Die Datei ist keine WordPress-Exportdatei (WXR). Bitte in WordPress unter "
                "Werkzeuge → Daten exportieren die Datei „Alle Inhalte“ erstellen und diese "
                "hochladen."
            )
        return upload

    def clean_media_dir(self):
        try:
            path = media_dir_check(self.cleaned_data["media_dir"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return str(path) if path else ""

    def clean_section_map(self):
        text = self.cleaned_data["section_map"]
        try:
            parsed = section_map_parse(text)
        except SectionMapError as exc:
            raise forms.ValidationError(str(exc)) from exc
        known = set(SectionPage.objects.values_list("slug", flat=True))
        unknown = sorted({*parsed.categories.values(), parsed.default} - known - {""})
        if unknown:
            raise forms.ValidationError("Diese Rubriken gibt es nicht: " + ", ".join(unknown) + ".")
        return text

    def clean(self):
        data = super().clean()
        if data.get("fetch_media") and data.get("media_dir"):
            raise forms.ValidationError(
                "Entweder Medien laden oder einen Medienordner angeben, nicht beides."
            )
        return data
