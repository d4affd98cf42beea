"""providers.toml: the real data, the idempotent demo loader, and bad files."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from kryptowelt.comparisons import figures
from kryptowelt.comparisons.loaders import load_providers
from kryptowelt.comparisons.models import Provider
from kryptowelt.comparisons.provider_file import ProviderImportError, provider_specs_read
from kryptowelt.comparisons.services import providers_import, providers_update

pytestmark = pytest.mark.django_db


def test_real_data_has_enough_sourced_providers():
    specs = provider_specs_read()
    assert len(specs) >= 15
    sourced = [f for spec in specs for f in spec.figures if f["source"] and f["checked"]]
    assert len(sourced) >= 60
    for item in sourced:
        assert item["source"].startswith("https://"), item
    # Every provider that trades has at least its regulation checked.
    for spec in specs:
        keys = {f["key"] for f in spec.figures if f["source"]}
        if spec.fields["pricing"] != "none":
            assert "mica" in keys, spec.fields["slug"]
    # The calculator has several providers with a complete fee set for the reference order.
    complete = 0
    for spec in specs:
        keys = {f["key"] for f in spec.figures if f["source"]}
        if {"taker_pct", "fixed_eur", "deposit_sepa"} <= keys or {
            "commission_pct",
            "spread_pct",
            "fixed_eur",
            "deposit_sepa",
        } <= keys:
            complete += 1
    assert complete >= 4
    # Figures not confirmed on a stored page say so.
    assert any(f["recheck"] and f["basis"] for spec in specs for f in spec.figures)


def test_loader_is_idempotent_and_keeps_editors_changes():
    out = StringIO()
    load_providers(home=None, stdout=out)
    assert "Anbieter: 16 neu, 0 bereits vorhanden." in out.getvalue()
    count = Provider.objects.count()
    assert count >= 15
    assert all(provider.live for provider in Provider.objects.all())
    kraken = Provider.objects.get(slug="kraken")
    assert kraken.revisions.count() == 1
    taker = kraken.figures.get(key="taker_pct")
    assert taker.number == Decimal("0.8")  # Kraken Pro tier 1 since 9 July 2026
    assert taker.recheck
    assert taker.effective.isoformat() == "2026-07-09"

    # An editor changes a figure and removes another; the next demo run keeps that.
    taker.number = Decimal("0.35")
    taker.save()
    kraken.figures.filter(key="maker_pct").delete()
    again = StringIO()
    load_providers(home=None, stdout=again)
    assert f"0 neu, {count} bereits vorhanden" in again.getvalue()
    assert Provider.objects.count() == count
    assert kraken.figures.get(key="taker_pct").number == Decimal("0.35")
    assert not kraken.figures.filter(key="maker_pct").exists()


def test_loader_lets_wagtail_editor_groups_work_on_providers():
    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    load_providers(home=None)
    assert set(editors.permissions.values_list("codename", flat=True)) >= {
        "add_provider",
        "change_provider",
    }
    assert "publish_provider" in set(moderators.permissions.values_list("codename", flat=True))


def test_mica_authority_date_and_lei_are_kept():
    providers_import()
    bitvavo = Provider.objects.get(slug="bitvavo")
    mica = bitvavo.facts.verified("mica")
    assert mica.flag is True
    assert mica.text == "AFM (Niederlande)"
    assert mica.effective.isoformat() == "2025-06-26"
    assert mica.checked.isoformat() == "2026-09-01"  # register snapshot
    assert mica.display() == "Ja (AFM (Niederlande))"
    assert bitvavo.leis == ["724500MX2WBKDJP9HE56"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[[provider]]\nslug = 'x'\nkinds = ['boerse']\n[provider.fees]\n"
            "taker_pct = { value = 150, source = 'https://a.example', checked = '2025-01-01' }\n",
            "zwischen 0 und 100",
        ),
        (
            "[[provider]]\nslug = 'x'\nkinds = ['boerse']\n[provider.fees]\n"
            "taker_pct = { value = 0.1, source = 'ftp://a.example', checked = '2025-01-01' }\n",
            "keine gültige Adresse",
        ),
        ("[[provider]]\nslug = 'x'\nkinds = ['aktien']\n", "unbekannte oder fehlende Arten"),
        (
            "[[provider]]\nslug = 'x'\nkinds = ['boerse']\n[[provider]]\nslug = 'x'\n"
            "kinds = ['boerse']\n",
            "doppelt",
        ),
        (
            "[[provider]]\nslug = 'x'\nkinds = ['boerse']\n"
            "coins = { value = 10, source = 'https://a.example', checked = '2025-13-01' }\n",
            "Datum im Format",
        ),
        ("[[provider\nslug = 'x'", "nicht lesbar"),
    ],
)
def test_bad_files_are_rejected_with_a_german_message_and_nothing_written(
    tmp_path, content, message
):
    path = tmp_path / "providers.toml"
    path.write_text(
        "[[provider]]\nslug = 'gut'\nkinds = ['boerse']\n" + content
        if not content.startswith("[[provider\n")
        else content
    )
    with pytest.raises(ProviderImportError, match=message):
        providers_import(path=path)
    assert not Provider.objects.exists()


def test_every_catalogue_figure_can_be_imported(tmp_path):
    lines = ["[[provider]]", "slug = 'alles'", "kinds = ['boerse']", "pricing = 'orderbook'"]
    src = "source = 'https://a.example', checked = '2025-01-01'"
    lines += [
        f"coins = {{ value = 120, {src} }}",
        f"founded = {{ value = 2015, {src} }}",
        f"german_support = {{ value = true, {src} }}",
        "[provider.fees]",
        f"taker_pct = {{ value = 0.2, {src} }}",
        f"spread_pct = {{ value = 0.9, coin = 'ETH', {src} }}",
        "[provider.deposit]",
        f"paypal = {{ pct = 1.5, eur = 0.35, {src} }}",
        "[provider.withdrawal]",
        f"BTC = {{ value = 0.0001, {src} }}",
        "[provider.sparplan]",
        f"intervals = {{ value = ['monatlich', 'woechentlich'], {src} }}",
        "[provider.staking]",
        f"coins = {{ value = ['ETH', 'SOL'], {src} }}",
        "[provider.security]",
        f"cold_storage_pct = {{ value = 95, {src} }}",
    ]
    path = tmp_path / "providers.toml"
    path.write_text("\n".join(lines))
    assert providers_import(path=path) == (1, 0)
    facts = Provider.objects.get(slug="alles").facts
    assert facts.value("coins") == 120
    assert facts.value("spread_pct", "ETH") == Decimal("0.9")
    assert facts.value("spread_pct", "BTC") is None
    assert facts.verified("deposit_paypal").display() == "1,5\u00a0% + 0,35\u00a0€"
    assert facts.verified("withdrawal_fee", "BTC").display() == "0,0001 BTC"
    assert facts.verified("sparplan_intervals").display() == "monatlich, wöchentlich"
    assert facts.value("staking_coins") == ["ETH", "SOL"]
    assert {fact.key for fact in facts} <= set(figures.SPECS)


SRC = "source = 'https://a.example', checked = '2025-01-01'"


def write(tmp_path, lines):
    path = tmp_path / "providers.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fees_per_coin_unpublished_spreads_and_availability_are_imported(tmp_path):
    path = write(
        tmp_path,
        [
            "[[provider]]",
            "slug = 'muenzbroker'",
            "kinds = ['broker']",
            "pricing = 'broker'",
            "mica_lei = ['KW00TESTMUSTERDE0001']",
            f"available_de = {{ value = false, text = 'Kein EU-Geschäft', effective = '2024-07-01', {SRC} }}",
            "[provider.fees]",
            f"commission_pct = {{ value = 2.5, {SRC} }}",
            f"spread_pct = {{ unpublished = true, {SRC} }}",
            "[provider.fees.by_coin.BTC]",
            f"commission_pct = {{ value = 1.5, {SRC} }}",
            f"commission_min_eur = {{ value = 1, {SRC} }}",
        ],
    )
    assert providers_import(path=path) == (1, 0)
    provider = Provider.objects.get(slug="muenzbroker")
    facts = provider.facts
    assert facts.value("commission_pct", "BTC") == Decimal("1.5")
    assert facts.value("commission_pct", "ETH") == Decimal("2.5")  # the provider-wide default
    assert facts.value("commission_min_eur", "BTC") == Decimal(1)
    assert facts.value("spread_pct") is None and facts.unpublished("spread_pct")
    assert facts.value("available_de") is False
    assert facts.get("available_de").effective.isoformat() == "2024-07-01"
    assert provider.leis == ["KW00TESTMUSTERDE0001"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["[provider.fees]", f"taker_pct = {{ value = 150, {SRC} }}"],
            "providers.toml, Zeile 5, Anbieter 1 (x), fees.taker_pct: Ein Prozentwert",
        ),
        (
            [
                "[provider.fees.by_coin.BTC]",
                f"taker_pct = {{ value = 0.1, {SRC} }}",
                f"fixed_eur = {{ value = -1, {SRC} }}",
            ],
            "Zeile 6, Anbieter 1 (x), fees.by_coin.BTC.fixed_eur: Der Betrag darf nicht negativ sein.",
        ),
        (
            ["[provider.fees.by_coin.BTC]", f"note = {{ value = 'x', {SRC} }}"],
            "Zeile 5, Anbieter 1 (x), fees.by_coin.BTC.note: gilt nicht je Kryptowert",
        ),
        (
            ["[provider.fees]", f"spread_pct = {{ unpublished = true, value = 1, {SRC} }}"],
            "Zeile 5, Anbieter 1 (x), fees.spread_pct: eine nicht veröffentlichte Angabe hat keinen Wert",
        ),
        (
            ["[provider.fees]", f"takerpct = {{ value = 0.1, {SRC} }}"],
            "Zeile 4, Anbieter 1 (x), fees: unbekannte Schlüssel takerpct",
        ),
        (["mica_lei = ['ZU-KURZ']"], "Zeile 4, Anbieter 1 (x), mica_lei: Eine LEI besteht aus 20"),
    ],
)
def test_a_bad_entry_names_its_line_and_nothing_is_written(tmp_path, lines, message):
    path = write(tmp_path, ["[[provider]]", "slug = 'x'", "kinds = ['boerse']", *lines])
    with pytest.raises(ProviderImportError) as error:
        providers_import(path=path)
    assert message in str(error.value)
    assert not Provider.objects.exists()


def test_update_command_is_idempotent_and_saves_changes_as_drafts(tmp_path):
    lines = [
        "[[provider]]",
        "slug = 'wandel'",
        "name = 'Wandelbörse'",
        "kinds = ['boerse']",
        "pricing = 'orderbook'",
        "[provider.fees]",
        f"taker_pct = {{ value = 0.4, {SRC} }}",
    ]
    path = write(tmp_path, lines)
    out = StringIO()
    call_command("import_providers", str(path), stdout=out)
    assert "Anbieter: 1 neu, 0 geändert, 0 unverändert." in out.getvalue()
    provider = Provider.objects.get(slug="wandel")
    assert provider.revisions.count() == 1

    # Re-importing the same file changes nothing: no new revision.
    again = StringIO()
    call_command("import_providers", str(path), stdout=again)
    assert "Anbieter: 0 neu, 0 geändert, 1 unverändert." in again.getvalue()
    assert provider.revisions.count() == 1

    # A changed fee becomes a draft: readers keep the published figure until an editor
    # publishes it; with --veroeffentlichen it is published at once.
    path = write(
        tmp_path, [*lines[:-1], f"taker_pct = {{ value = 0.8, effective = '2024-12-01', {SRC} }}"]
    )
    call_command("import_providers", str(path), stdout=StringIO())
    provider.refresh_from_db()
    assert provider.has_unpublished_changes
    assert provider.revisions.count() == 2
    assert provider.figures.get(key="taker_pct").number == Decimal("0.4")
    call_command("import_providers", str(path), stdout=StringIO())  # still the same draft
    assert provider.revisions.count() == 2
    published = StringIO()
    call_command("import_providers", str(path), "--veroeffentlichen", stdout=published)
    assert "1 geändert, 0 unverändert" in published.getvalue()  # the matching draft published
    assert provider.revisions.count() == 2
    provider.refresh_from_db()
    assert provider.figures.get(key="taker_pct").number == Decimal("0.8")
    assert not provider.has_unpublished_changes


def test_update_command_refuses_a_bad_file_with_its_line(tmp_path):
    path = write(
        tmp_path,
        [
            "[[provider]]",
            "slug = 'x'",
            "kinds = ['boerse']",
            "coins = { value = -3, source = 'https://a.example', checked = '2025-01-01' }",
        ],
    )
    with pytest.raises(
        CommandError, match=r"Nicht importiert, nichts gespeichert: providers.toml, Zeile 4"
    ):
        call_command("import_providers", str(path), stdout=StringIO())
    assert not Provider.objects.exists()


def test_real_file_imports_unchanged_a_second_time():
    providers_import()
    report = providers_update()
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == Provider.objects.count()
    assert all(provider.revisions.count() == 1 for provider in Provider.objects.all())
