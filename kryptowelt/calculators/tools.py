"""The calculators as readers name them: what the overview, the home page's teaser and the
site search say about each (plain data)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    route: str  # a route of CalculatorIndexPage, or "namespace:route" of another pillar
    title: str
    text: str
    names: tuple[str, ...]  # what readers type to find it (site search)


TOOLS = (
    Tool(
        "sparplan",
        "Sparplan-Rechner",
        "Was ein Sparplan auf echten Tageskursen gebracht hätte: Einzahlungen, Wert, Rendite, "
        "größter Rückgang und der Vergleich mit einer Einmalanlage.",
        ("Sparplan-Rechner", "Sparplanrechner", "Sparplan", "Sparplan berechnen", "Backtest"),
    ),
    Tool(
        "gewinn",
        "Gewinn-Rechner",
        "Gewinn oder Verlust eines Trades nach Gebühren, in Euro und Prozent, mit dem Kurs, "
        "ab dem sich der Verkauf lohnt.",
        ("Gewinn-Rechner", "Gewinnrechner", "Verlustrechner", "Gewinn berechnen", "Break-even"),
    ),
    Tool(
        "steuer",
        "Krypto-Steuerrechner",
        "Für Privatanleger in Deutschland: Ergebnis je Jahr nach FIFO, Haltefrist und "
        "Freigrenzen – aus dem Formular oder einer CSV-Datei Ihrer Börse.",
        (
            "Krypto-Steuerrechner",
            "Steuerrechner",
            "Steuer-Rechner",
            "Steuer",
            "Steuern berechnen",
            "Kryptosteuer",
            "Steuererklärung",
        ),
    ),
)
# Lives under /vergleich/, and belongs with the calculators for readers all the same.
COST_CALCULATOR = Tool(
    "comparisons:calculator",
    "Kostenrechner",
    "Was eine Order bei jedem Anbieter wirklich kostet – Handelsgebühr, Spread, Ein- und "
    "Auszahlung, mit Quelle und Prüfdatum.",
    (),
)
