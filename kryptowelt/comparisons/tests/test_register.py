"""The MiCA register: `kryptowelt import_mica_register FILE`, what readers see afterwards and
what editors see in the report. Uses the hand-made sample in fixtures/ (see its README)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.comparisons.models import MicaRegisterEntry, MicaRegisterImport

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "fixtures" / "mica_register_handmade_sample.csv"
MUSTER_LEI = "KW00TESTMUSTERDE0001"  # BaFin, authorised 15/03/2025
BEISPIEL_LEI = "KW00TESTBEISPIELLU02"  # CSSF, passported to DE, 02/07/2025
NURHEIMAT_LEI = "KW00TESTNURHEIMAT003"  # AFM, passported to NL and BE only
BEENDET_LEI = "KW00TESTBEENDETCY004"  # CySEC, authorisation ended 31/03/2026


def exchange(name, lei, **extra):
    """A fully priced exchange with a (stale) MiCA figure of its own, before any import."""
    figures = [
        figure("taker_pct", "0.2"),
        figure("fixed_eur", 0),
        figure("deposit_sepa", 0, eur=0),
        figure("german_support", True),
        figure("mica", True, text="Behörde laut Anbieterdaten"),
    ]
    return provider_make(name=name, slug=name.lower(), mica_lei=lei, figures=figures, **extra)


def run(path, *args):
    out = io.StringIO()
    call_command("import_mica_register", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def providers(db):
    return {
        "muster": exchange("Muster", MUSTER_LEI),
        "beispiel": exchange("Beispiel", BEISPIEL_LEI),
        "nurheimat": exchange("Nurheimat", NURHEIMAT_LEI),
        "beendet": exchange("Beendet", BEENDET_LEI),
    }


def test_import_matches_providers_by_lei_and_reports_the_changes(client, providers, home):
    output = run(SAMPLE)
    # Snapshot = newest ac_lastupdate in the file (30/09/2026); 5 rows, 4 providers matched.
    assert "Registerstand 30.09.2026: 5 Einträge gelesen, 4 Anbieter über ihre LEI zugeordnet" in (
        output
    )
    assert "Geändert – Muster: zugelassen durch Behörde laut Anbieterdaten" in output
    assert "→ zugelassen durch BaFin (Deutschland) seit 15.03.2025" in output
    assert "Nurheimat" in output and "ohne grenzüberschreitende Tätigkeit in Deutschland" in output
    assert "Beendet" in output and "Zulassung beendet am 31.03.2026" in output
    assert "Hinweis – Zeile 7: LEI „KW00TESTKURZ0005“ von Kurzlei SIA hat nicht 20 Zeichen" in (
        output
    )
    register = MicaRegisterImport.objects.get()
    assert register.rows == 5
    assert register.snapshot.isoformat() == "2026-09-30"
    # The two-line quoted address is one row; its line number is where the row starts.
    assert MicaRegisterEntry.objects.get(lei=BEISPIEL_LEI).line == 3
    assert MicaRegisterEntry.objects.get(lei=BEISPIEL_LEI).passport == "AT BE DE FR NL"

    # Readers see the register's authority, date and snapshot on the provider page.
    page = client.get("/vergleich/anbieter/muster/").content.decode()
    licence = page.split("Zulassung nach MiCA")[1].split("</section>")[0]
    assert "BaFin (Deutschland)" in licence
    assert "15. März 2025" in licence  # authorisation date
    assert "30. September 2026" in licence  # register snapshot
    assert MUSTER_LEI in licence
    assert "Behörde laut Anbieterdaten" not in licence

    # Authorised elsewhere without a passport for Germany, or ended: flagged, never ranked.
    boersen = client.get("/vergleich/krypto-boersen/").content.decode()
    ranked = boersen.split("Nicht gereiht: in Deutschland nicht verfügbar")[0]
    excluded = boersen.split("Nicht gereiht: in Deutschland nicht verfügbar")[1]
    assert 'data-provider="muster"' in ranked and 'data-provider="beispiel"' in ranked
    assert 'data-provider="nurheimat"' in excluded and 'data-provider="beendet"' in excluded
    assert "Ohne MiCA-Zulassung für Deutschland" in excluded
    # ...and the EU filter follows the register.
    eu = client.get("/vergleich/krypto-boersen/", {"eu": "on"}).content.decode()
    assert "/anbieter/beispiel/" in eu and "/anbieter/nurheimat/" not in eu


def test_reimporting_the_same_file_changes_nothing(providers):
    run(SAMPLE)
    again = run(SAMPLE)
    assert "Keine Änderungen für die Anbieter im Vergleich." in again
    assert MicaRegisterImport.objects.count() == 2
    assert MicaRegisterImport.objects.order_by("imported_at").last().changes == []


def test_semicolons_and_a_byte_order_mark_are_read_the_same(tmp_path, providers):
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "CASPS_semikolon.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    output = run(path, "--stand", "2026-10-01")
    assert "Registerstand 01.10.2026: 5 Einträge gelesen, 4 Anbieter" in output
    entry = MicaRegisterEntry.objects.get(lei=MUSTER_LEI)
    assert entry.authority == "Federal Financial Supervisory Authority (BaFin)"
    assert entry.entity == "Musterbörse Deutschland GmbH"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("15/03/2025", "2025/13/45"), "Zeile 2: „2025/13/45“ ist kein Datum"),
        (
            ("Latvijas Banka,LV,", ",LV,"),
            "Zeile 7: Die Aufsichtsbehörde (ae_competentAuthority) fehlt",
        ),
        (
            ("NL,Nurheimat Krypto", "Niederlande,Nurheimat Krypto"),
            "Zeile 5: „Niederlande“ ist kein Ländercode",
        ),
        (
            ("05/05/2026,", "05/05/2026,,zu,viele,Felder"),
            "Zeile 7: 18 Felder, die Kopfzeile hat 16",
        ),
        (("ae_lei,", "lei_code,"), "Zeile 1: Spalten fehlen: ae_lei"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_its_line(tmp_path, providers, change, message):
    path = tmp_path / "CASPS.csv"
    path.write_text(SAMPLE.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(path)
    assert message in str(error.value)
    assert "nichts gespeichert" in str(error.value)
    assert not MicaRegisterImport.objects.exists()
    assert not MicaRegisterEntry.objects.exists()


def test_unreadable_input_gets_a_german_message(tmp_path, providers):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(CommandError, match="nicht in UTF-8 gespeichert"):
        run(latin)
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        run(tmp_path / "fehlt.csv")
    with pytest.raises(CommandError, match="Datum im Format JJJJ-MM-TT"):
        run(SAMPLE, "--stand", "30.09.2026")
    with pytest.raises(CommandError, match="in der Zukunft"):
        run(SAMPLE, "--stand", "2999-01-01")
    empty = tmp_path / "leer.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Die Datei ist leer"):
        run(empty)
    assert not MicaRegisterImport.objects.exists()


def test_a_file_without_any_of_our_leis_is_refused_unless_asked(tmp_path, providers):
    other = tmp_path / "CASPS_fremd.csv"
    text = SAMPLE.read_text(encoding="utf-8")
    for lei in (MUSTER_LEI, BEISPIEL_LEI, NURHEIMAT_LEI, BEENDET_LEI):
        text = text.replace(lei, lei[:-4] + "9999")
    other.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Keine der LEIs unserer 4 Anbieter steht in der Datei"):
        run(other)
    assert not MicaRegisterImport.objects.exists()
    output = run(other, "--auch-ohne-treffer")
    assert "0 Anbieter über ihre LEI zugeordnet" in output
    assert MicaRegisterImport.objects.count() == 1


def test_a_provider_missing_from_a_newer_register_loses_its_authorisation(
    tmp_path, client, providers, home
):
    run(SAMPLE)
    newer = tmp_path / "CASPS_neu.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    newer.write_text("".join(line for line in lines if "Musterbörse" not in line), encoding="utf-8")
    output = run(newer, "--stand", "2026-11-30")
    assert "Geändert – Muster: zugelassen durch BaFin (Deutschland) seit 15.03.2025 → " in output
    assert "keine MiCA-Zulassung für Deutschland (nicht im Register eingetragen)" in output
    page = client.get("/vergleich/anbieter/muster/").content.decode()
    assert "keine Zulassung für Deutschland" in page
    assert "Ohne EU-Zulassung empfehlen wir keinen Anbieter." in page


def test_editors_see_the_register_changes_in_the_review_report(
    client, django_user_model, providers, home
):
    run(SAMPLE)
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    html = client.get(reverse("comparisons_figure_review")).content.decode()
    register = html.split("<h2>MiCA-Register</h2>")[1]
    assert "Registerstand 30.09.2026" in register
    assert "Nurheimat" in register
    assert "ohne grenzüberschreitende Tätigkeit in Deutschland" in register
    assert "LEI „KW00TESTKURZ0005“" in register  # the file's warnings
