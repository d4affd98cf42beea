"""The short German description of how a result was computed: the rules applied (with their
sources) and the reader's settings. Part of the documentation pack (`pack`) and the print view;
the BMF letter of 6 March 2025 asks for the settings of the software used (Rn. 87 ff.)."""

from __future__ import annotations

import datetime as dt

from kryptowelt.calculators.tax.settings import TaxSettings

RULES = (
    "Haltefrist (§ 23 Abs. 1 Satz 1 Nr. 2 EStG): Veräußerungen, Tausche und Zahlungen mit "
    "Kryptowerten sind steuerpflichtig, wenn zwischen Anschaffung und Veräußerung nicht mehr "
    "als ein Jahr liegt. Die Frist beginnt am Tag nach der Anschaffung und endet mit dem "
    "gleichen Kalendertag des Folgejahres (§§ 187 Abs. 1, 188 Abs. 2 und 3 BGB); steuerfrei "
    "ist ein Verkauf ab dem Tag danach („ein Jahr und ein Tag“).",
    "Gebühren: Kaufgebühren erhöhen die Anschaffungskosten, Verkaufs- und Tauschgebühren "
    "mindern den Erlös. Eine in Coins bezahlte Gebühr ist eine Veräußerung dieser Coins zu "
    "ihrem Euro-Wert; gehört sie zu einem Handel, zählt ihr Wert auch als dessen Gebühr.",
    "Tausch: Verkauf des abgegebenen Coins zum Euro-Wert (abzüglich Gebühren) und Anschaffung "
    "des erhaltenen Coins zum Wert der getauschten Coins am selben Tag.",
    "Sonstige Einkünfte (§ 22 Nr. 3 EStG): Staking, Lending, Airdrops und ähnliche Erträge "
    "zählen mit ihrem Euro-Wert bei Zufluss; die erhaltenen Coins gelten mit diesem Wert und "
    "Tag als angeschafft. Steuerfrei, wenn alle solchen Einkünfte des Jahres weniger als "
    "256 € betragen (§ 22 Nr. 3 Satz 2 EStG, Freigrenze).",
    "Freigrenze (§ 23 Abs. 3 Satz 5 EStG): Gewinne und Verluste eines Jahres werden "
    "verrechnet; ein Saldo unter 600 € (bis 2023) bzw. 1.000 € (ab 2024) bleibt steuerfrei, "
    "erreicht er die Grenze, ist er ganz steuerpflichtig. Die Freigrenze gilt je Person für "
    "alle privaten Veräußerungsgeschäfte zusammen.",
    "Verluste (§ 23 Abs. 3 Sätze 7 und 8 EStG, § 10d EStG): Verluste mindern nur Gewinne aus "
    "privaten Veräußerungsgeschäften – im selben Jahr, im Vorjahr (Rücktrag) und in den "
    "Folgejahren (Vortrag). Die Freigrenze wird vor dem Verlustabzug angewendet (BFH, Urteil "
    "vom 11.01.2005, IX R 27/04): Ein Jahr unter der Freigrenze verbraucht keinen Verlust.",
    "Überträge zwischen eigenen Wallets und Börsen sind keine Veräußerung; die Coins behalten "
    "Anschaffungstag und -kosten, die Haltefrist läuft weiter. Coins, die ohne Entgelt "
    "abgehen (Schenkung, Verlust), verbrauchen ihren Bestand ohne Gewinn oder Verlust.",
    "Zeiten: Exporte in UTC rechnen wir in deutsche Zeit um; Steuerjahr und Haltefrist "
    "folgen dem deutschen Kalendertag.",
)
NOT_COVERED = (
    "Nicht berechnet: Kryptowerte im Betriebsvermögen, Mining als Gewerbe, Derivate und "
    "Margin-Handel, NFTs, Liquidity Mining, eine walletbezogene Verbrauchsfolge "
    "(Depottrennung). Die Berechnung beruht allein auf den hochgeladenen Daten."
)


def method_text(
    settings: TaxSettings, *, generated: dt.datetime, files: list[tuple[str, str]]
) -> str:
    """The description as plain text (UTF-8), for the documentation pack."""
    lines = [
        "Kryptowelt Krypto-Steuerrechner – Beschreibung der Berechnung",
        "=" * 62,
        "",
        f"Erstellt am {generated:%d.%m.%Y um %H:%M} Uhr (deutsche Zeit). Die Daten wurden nur "
        "für diese Berechnung im Arbeitsspeicher verarbeitet und nicht gespeichert.",
        "",
        "Hochgeladene Daten:",
    ]
    lines += [f"- {name} ({label})" for name, label in files] or ["- (keine)"]
    lines += ["", "Einstellungen:"]
    for name, choice, note in settings.described():
        lines += [f"- {name}: {choice}", f"  {note}"]
    lines += ["", "Regeln:"]
    lines += [f"- {rule}" for rule in RULES]
    lines += [
        "",
        NOT_COVERED,
        "",
        "Quellen: Einkommensteuergesetz §§ 10d, 22 Nr. 3, 23 (Freigrenze 1.000 € ab 2024 durch "
        "das Wachstumschancengesetz vom 27. März 2024); Bürgerliches Gesetzbuch §§ 187, 188; "
        "BMF-Schreiben „Einzelfragen zur ertragsteuerrechtlichen Behandlung bestimmter "
        "Kryptowerte“ vom 6. März 2025 (IV C 1 – S 2256/00042/064/043); BFH, Urteil vom "
        "11.01.2005, IX R 27/04; FG Nürnberg, Urteil vom 22.01.2025, 3 K 760/22.",
        "",
        "Keine Steuerberatung: Die Aufstellung wendet die genannten Regeln auf die "
        "hochgeladenen Daten an.",
    ]
    return "\r\n".join(lines) + "\r\n"
