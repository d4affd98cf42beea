"""Migrations keep existing data: the MiCA authorisation date moves from the note text into its
own field, the rest of the note stays."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("comparisons", "0001_initial")]
AFTER = [("comparisons", "0002_mica_register_and_figure_dates")]


# serialized_rollback: later transactional tests find the rows the migrations wrote.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_authorisation_date_moves_from_the_note_into_its_field():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Provider = old_apps.get_model("comparisons", "Provider")
    Figure = old_apps.get_model("comparisons", "ProviderFigure")
    provider = Provider.objects.create(name="Alt", slug="alt", kind_exchange=True)
    source = {"source": "https://a.example", "checked": dt.date(2026, 9, 1)}
    Figure.objects.create(
        provider=provider,
        key="mica",
        flag=True,
        sort_order=0,
        **source,
        note="Zugelassen am 26.06.2025. Pass für Deutschland.",
    )
    Figure.objects.create(
        provider=provider,
        key="taker_pct",
        number="0.25",
        sort_order=1,
        **source,
        note="Zugelassen am 01.01.2020.",
    )  # not a MiCA figure: untouched

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Figure = new_apps.get_model("comparisons", "ProviderFigure")
    mica = Figure.objects.get(key="mica")
    assert mica.effective == dt.date(2025, 6, 26)
    assert mica.note == "Pass für Deutschland."
    assert mica.unpublished is False
    taker = Figure.objects.get(key="taker_pct")
    assert taker.effective is None and taker.note == "Zugelassen am 01.01.2020."

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the current schema
