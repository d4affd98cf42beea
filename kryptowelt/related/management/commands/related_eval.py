from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kryptowelt.related.corpus import (
    corpus_missing_message,
    corpus_read,
    default_corpus_path,
)
from kryptowelt.related.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Misst die Verwandtschafts-Engine an einem Korpus im 10kGNAD-Format (label;text): "
        "precision@k gleich gelabelter Nachbarn (leave-one-out), ohne die Datenbank der Website."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            type=Path,
            help="CSV-Datei (label;text); Standard: $KRYPTOWELT_DATA_DIR/10kgnad/train.csv, "
            "ohne KRYPTOWELT_DATA_DIR ../shared/data/10kgnad/train.csv neben dem Repository",
        )
        parser.add_argument("--k", type=int, default=5, help="Anzahl Nachbarn (Standard: 5)")
        parser.add_argument(
            "--min-precision",
            type=float,
            default=None,
            help="Mit Fehler beenden, wenn precision@k darunter liegt (z. B. 0.6; für die CI).",
        )

    def handle(self, *args, corpus, k: int, min_precision: float | None, **options):
        corpus = Path(corpus) if corpus else default_corpus_path()
        if k < 1:
            raise CommandError("--k muss mindestens 1 sein.")
        if not corpus.is_file():
            # Exit status 2 (missing input), shown as one line without a traceback.
            raise CommandError(corpus_missing_message(corpus), returncode=2)
        data = corpus_read(corpus)
        for message in data.errors:
            self.stderr.write(f"Übersprungen – {message}")
        if len(data) < 2:
            raise CommandError(
                f"Zu wenige lesbare Dokumente ({len(data)}); mindestens 2 werden gebraucht."
            )
        self.stdout.write(
            f"{len(data)} Dokumente gelesen, {len(data.errors)} Zeilen übersprungen, "
            f"{len(set(data.labels))} Labels."
        )

        def progress(items):
            # disable=None: no bar when stderr is not a terminal (logs, cron, CI).
            return tqdm(
                items,
                desc="Abfragen",
                unit="Dok.",
                disable=True if options["verbosity"] == 0 else None,
            )

        result = evaluate(labels=data.labels, texts=data.texts, k=k, progress=progress)
        self.stdout.write(result.summary_line())
        if min_precision is not None and result.precision < min_precision:
            raise CommandError(
                f"precision@{k} {result.precision:.3f} liegt unter dem Mindestwert "
                f"{min_precision:.3f}."
            )
