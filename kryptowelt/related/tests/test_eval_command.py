"""`kryptowelt related_eval`: a labelled corpus, broken lines, the summary line."""

import re

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from kryptowelt.related.corpus import corpus_read

SUMMARY = re.compile(
    r"^precision@5=(\d\.\d{3}) build_s=\d+\.\d\d query_ms_p50=\d+\.\d\d "
    r"query_ms_p95=\d+\.\d\d docs=(\d+)$"
)

TOPICS = {
    "Sport": [
        "Der Verein gewann das Spiel in der Nachspielzeit mit einem Tor.",
        "Die Mannschaft trainiert für das Derby am Wochenende im Stadion.",
        "Der Trainer lobte die Abwehr nach dem Sieg in der Liga.",
        "Im Finale traf der Stürmer zweimal, die Fans feierten den Pokal.",
    ],
    "Wirtschaft": [
        "Die Notenbank erhöhte den Leitzins, die Inflation bleibt hoch.",
        "Der Konzern meldet Gewinn und Umsatz über den Erwartungen der Analysten.",
        "Die Börse schloss mit Verlusten, Anleger fürchten eine Rezession.",
        "Banken vergeben weniger Kredite an Unternehmen, die Zinsen steigen.",
    ],
    "Web": [
        "Das neue Smartphone hat eine bessere Kamera und mehr Speicher.",
        "Die App bekommt ein Update, das Sicherheitslücken im Browser schließt.",
        "Hacker griffen Server an, Passwörter von Nutzern wurden gestohlen.",
        "Der Suchmaschinenkonzern stellt eine Software mit künstlicher Intelligenz vor.",
    ],
}


def corpus_lines() -> list[str]:
    lines = []
    for label, sentences in TOPICS.items():
        for i in range(6):
            text = " ".join(sentences[(i + j) % 4] for j in range(3))
            lines.append(f"{label};{text}")
    return lines


@pytest.fixture
def corpus_file(tmp_path):
    path = tmp_path / "korpus.csv"
    lines = corpus_lines()
    lines.insert(3, "Sport;'nicht geschlossenes Zitat; und noch ein Feld")  # line 4
    lines.insert(7, "nur ein Feld ohne Trennzeichen")  # line 8
    lines.insert(10, ";Text ohne Label")  # line 11
    lines.insert(12, "Web;")  # line 13
    lines.append("Web;'Ein zitierter Text mit ''Anführungszeichen'' und ; Semikolon'")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8") + b"\xff\xfe kaputt\r\n")
    return path


def test_eval_prints_the_summary_line_and_reports_broken_lines(corpus_file, capsys):
    call_command("related_eval", corpus=str(corpus_file), k=5)
    out, err = capsys.readouterr()
    last = out.strip().splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, last
    assert int(match.group(2)) == 19  # 18 topic lines + the quoted one
    assert float(match.group(1)) >= 0.6  # topics are easy to tell apart
    for number in (4, 8, 11, 13, 24):
        assert f"Zeile {number}:" in err
    assert "19 Dokumente gelesen, 5 Zeilen übersprungen, 3 Labels." in out


def test_eval_fails_below_the_minimum_precision_ci_asks_for(corpus_file, capsys):
    call_command("related_eval", corpus=str(corpus_file), k=5, min_precision=0.5, verbosity=0)
    with pytest.raises(CommandError, match="liegt unter dem Mindestwert 1.000"):
        call_command("related_eval", corpus=str(corpus_file), k=5, min_precision=1.0)


def test_eval_with_other_k_names_it(corpus_file, capsys):
    call_command("related_eval", corpus=str(corpus_file), k=3, verbosity=0)
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("precision@3=")


def test_eval_rejects_missing_files_and_tiny_corpora(tmp_path):
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("related_eval", corpus=str(tmp_path / "fehlt.csv"))
    tiny = tmp_path / "klein.csv"
    tiny.write_text("Sport;Nur ein Dokument.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Zu wenige"):
        call_command("related_eval", corpus=str(tiny))
    with pytest.raises(CommandError, match="mindestens 1"):
        call_command("related_eval", corpus=str(tiny), k=0)


def test_eval_reads_the_corpus_from_the_data_dir(corpus_file, tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "daten"
    (data_dir / "10kgnad").mkdir(parents=True)
    corpus_file.rename(data_dir / "10kgnad" / "train.csv")
    monkeypatch.setenv("KRYPTOWELT_DATA_DIR", str(data_dir))
    call_command("related_eval", verbosity=0)
    assert SUMMARY.match(capsys.readouterr().out.strip().splitlines()[-1])


def test_missing_corpus_names_the_file_and_how_to_pass_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KRYPTOWELT_DATA_DIR", str(tmp_path))
    with pytest.raises(CommandError) as error:
        call_command("related_eval")
    message = str(error.value)
    assert error.value.returncode == 2
    assert f"Korpus nicht gefunden: {tmp_path / '10kgnad' / 'train.csv'} fehlt." in message
    assert "--corpus DATEI" in message and "KRYPTOWELT_DATA_DIR" in message


def test_missing_corpus_on_the_command_line_exits_2_without_traceback(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("KRYPTOWELT_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["kryptowelt", "related_eval"]).execute()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("CommandError: Korpus nicht gefunden:")
    assert "Traceback" not in err


def test_eval_does_not_touch_the_database(corpus_file, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        call_command("related_eval", corpus=str(corpus_file), verbosity=0)


def test_corpus_reader_handles_quotes_long_texts_and_bom(tmp_path):
    path = tmp_path / "c.csv"
    long_text = "Wort " * 300_000  # 1.5 MB in one field
    path.write_text(
        "\ufeffWeb;'Er sagte: ''Hallo''; dann ging er.'\nSport;" + long_text + "\n",
        encoding="utf-8",
    )
    corpus = corpus_read(path)
    assert corpus.errors == []
    assert corpus.labels == ["Web", "Sport"]
    assert corpus.texts[0] == "Er sagte: 'Hallo'; dann ging er."
    assert len(corpus.texts[1]) > 1_000_000
