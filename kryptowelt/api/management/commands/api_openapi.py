import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kryptowelt.api.api import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def openapi_text() -> str:
    """The document as committed: sorted keys, readable, German text as it is."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = (
        "Schreibt das OpenAPI-Dokument der API nach kryptowelt/api/openapi.json "
        "(mit --check: prüft nur, ob die Datei aktuell ist)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Nur vergleichen, nichts schreiben."
        )
        parser.add_argument("--output", default=str(COMMITTED), help="Zieldatei (%(default)s)")

    def handle(self, *args, check: bool, output: str, **options):
        text = openapi_text()
        target = Path(output)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{target} ist nicht aktuell: `make api-schema` schreibt es neu; die "
                    "Änderung der öffentlichen Schnittstelle gehört in den Commit."
                )
            self.stdout.write("OpenAPI-Dokument ist aktuell.")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"OpenAPI-Dokument geschrieben: {target}")
