"""CSV imports (`import_prices`, `import_fx`), the daily close series other apps use, and a
replay of years of (synthetic) daily history through import, chart and statistics."""

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kryptowelt.charts.linechart import WIDE
from kryptowelt.markets.models import Coin, FxRate, PricePoint
from kryptowelt.markets.selectors.coins import coin_choices
from kryptowelt.markets.selectors.series import coin_chart, daily_close_series
from kryptowelt.markets.services.history import price_points_append
from kryptowelt.markets.services.imports import price_history_import
from kryptowelt.markets.tests.synthetic import bitcoin_like_history

pytestmark = pytest.mark.django_db


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reports_bad_rows_with_line_numbers_and_keeps_good_ones(tmp_path):
    path = write(
        tmp_path,
        "btc.csv",
        "date,open,high,low,close,volume\n"
        "2024-01-01,42000,43000,41000,42500.5,100\n"  # line 2: good
        "2024-01-02,,,,abc,\n"  # line 3: close not a number
        "01.01.2024,,,,42000,\n"  # line 4: German date
        "2024-01-03,,,,-5,\n"  # line 5: negative close
        "2024-01-04,42000,41000,43000,42100,\n"  # line 6: high below low
        "2024-01-01,,,,1,\n"  # line 7: duplicate date
        "2024-01-05,,,,,\n"  # line 8: no close
        "2024-01-06,,,,43000.25,\n"  # line 9: good (close only)
        "2099-01-01,,,,1,\n",  # line 10: future
    )
    out, err = StringIO(), StringIO()
    call_command(
        "import_prices", str(path), "--coin", "bitcoin", "--currency", "usd", stdout=out, stderr=err
    )
    errors = err.getvalue()
    for line in (3, 4, 5, 6, 7, 8, 10):
        assert f"Zeile {line}:" in errors
    assert "Zeile 2:" not in errors and "Zeile 9:" not in errors
    assert "2 Tage importiert, 0 bereits vorhanden, 7 fehlerhafte Zeilen" in out.getvalue()
    points = list(PricePoint.objects.order_by("timestamp").values_list("timestamp", "price"))
    assert points == [
        (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), Decimal("42500.5")),
        (dt.datetime(2024, 1, 6, tzinfo=dt.UTC), Decimal("43000.25")),
    ]
    assert PricePoint.objects.first().currency == "usd"
    coin = Coin.objects.get(coingecko_id="bitcoin")
    assert coin.name == "Bitcoin" and coin.symbol == "btc" and coin.logo

    second = StringIO()
    call_command(
        "import_prices",
        str(path),
        "--coin",
        "bitcoin",
        "--currency",
        "usd",
        stdout=second,
        stderr=StringIO(),
    )
    assert "0 Tage importiert, 2 bereits vorhanden" in second.getvalue()
    assert PricePoint.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("datum,schluss\n2024-01-01,1\n", "Spalten fehlen: close, date"),
        ("", "Spalten fehlen"),
    ],
)
def test_import_of_an_unusable_file_fails_cleanly(tmp_path, content, message):
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(CommandError, match=message):
        call_command("import_prices", str(path), "--coin", "bitcoin", "--currency", "eur")
    assert not PricePoint.objects.exists()


def test_import_rejects_missing_file_and_bad_coin_id(tmp_path):
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        call_command(
            "import_prices", str(tmp_path / "nope.csv"), "--coin", "x", "--currency", "eur"
        )
    path = write(tmp_path, "ok.csv", "date,close\n2024-01-01,1\n")
    with pytest.raises(CommandError, match="keine gültige CoinGecko-ID"):
        call_command("import_prices", str(path), "--coin", "Bit Coin!", "--currency", "eur")
    assert not Coin.objects.exists()


def test_fx_import_and_usd_history_converted_with_most_recent_earlier_rate(tmp_path):
    fx = write(
        tmp_path,
        "fx.csv",
        "date,usd_per_eur\n2024-01-02,1.1\n2024-01-03,oops\n2024-01-05,1.25\n",
    )
    out, err = StringIO(), StringIO()
    call_command("import_fx", str(fx), stdout=out, stderr=err)
    assert "2 neu" in out.getvalue() and "Zeile 3:" in err.getvalue()
    assert FxRate.objects.count() == 2
    usd = write(
        tmp_path,
        "eth-usd.csv",
        "date,close\n2024-01-01,2000\n2024-01-02,2200\n2024-01-03,2310\n2024-01-06,2500\n",
    )
    price_history_import(source=usd, coin_id="ethereum", currency="usd")
    eur = write(tmp_path, "eth-eur.csv", "date,close\n2024-01-03,2000\n")
    price_history_import(source=eur, coin_id="ethereum", currency="eur")

    series = daily_close_series(coin_id="ethereum", currency="eur")
    assert series == [
        # 2024-01-01 has no rate on or before it: left out.
        (dt.date(2024, 1, 2), Decimal("2000")),  # 2200 / 1.1
        (dt.date(2024, 1, 3), Decimal("2000")),  # stored in EUR: wins over conversion
        (dt.date(2024, 1, 6), Decimal("2000")),  # 2500 / 1.25 (rate of the 5th)
    ]
    assert all(isinstance(value, Decimal) for _, value in series)
    usd_series = daily_close_series(coin_id="ethereum", currency="usd")
    assert usd_series[0] == (dt.date(2024, 1, 1), Decimal("2000"))
    assert dict(usd_series)[dt.date(2024, 1, 3)] == Decimal("2310")
    assert coin_choices() == [("ethereum", "Ethereum")]
    assert daily_close_series(coin_id="unknown") == []


def test_daily_close_is_the_last_price_of_each_utc_day():
    coin = Coin.objects.create(coingecko_id="bitcoin", name="Bitcoin", symbol="btc")
    stamps = [
        (dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC), Decimal(100)),
        (dt.datetime(2026, 11, 23, 23, 55, tzinfo=dt.UTC), Decimal(110)),
        (dt.datetime(2026, 11, 24, 0, 5, tzinfo=dt.UTC), Decimal(120)),
        (dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC), Decimal(125)),
    ]
    price_points_append(
        coin=coin,
        currency="eur",
        points=[(t, p, None, None) for t, p in stamps],
        source=PricePoint.SOURCE_SYNC,
    )
    assert daily_close_series(coin_id="bitcoin") == [
        (dt.date(2026, 11, 23), Decimal(110)),
        (dt.date(2026, 11, 24), Decimal(125)),
    ]


def test_replay_of_years_of_bitcoin_like_history_through_import_chart_and_statistics(
    client, tmp_path, home
):
    history = bitcoin_like_history(tmp_path)  # synthetic, shaped like the real exports
    out = StringIO()
    call_command(
        "import_prices",
        str(history.usd_path),
        "--coin",
        "bitcoin",
        "--currency",
        "usd",
        stdout=out,
        stderr=StringIO(),
    )
    assert f"{len(history.usd)} Tage importiert" in out.getvalue()
    call_command("import_fx", str(history.fx_path), stdout=StringIO())
    call_command(
        "import_prices",
        str(history.eur_path),
        "--coin",
        "bitcoin",
        "--currency",
        "eur",
        stdout=StringIO(),
        stderr=StringIO(),
    )

    last_date, last_close = history.usd[-1]
    usd = daily_close_series(coin_id="bitcoin", currency="usd")
    assert usd[0] == (dt.date(2011, 8, 18), Decimal("10.9"))
    assert dict(usd)[last_date] == last_close
    # After the USD file ends, the EUR file continues, converted to USD.
    assert usd[-1][0] == history.eur[-1][0] and len(usd) > len(history.usd)
    eur = dict(daily_close_series(coin_id="bitcoin", currency="eur"))
    assert eur[dt.date(2012, 1, 1)] == Decimal("3.53")  # stored in EUR
    assert dt.date(2011, 8, 18) in eur  # before the EUR file: converted from USD
    # A Saturday before the EUR file: the USD close with Friday's rate.
    friday_rate = dict(history.fx)[dt.date(2011, 8, 19)]
    saturday_usd = dict(history.usd)[dt.date(2011, 8, 20)]
    assert (
        eur[dt.date(2011, 8, 20)]
        == (saturday_usd / friday_rate).quantize(Decimal("1e-12")).normalize()
    )
    assert len(eur) == len({d for d, _ in history.usd} | {d for d, _ in history.eur})
    dates = sorted(eur)
    assert all(b > a for a, b in zip(dates, dates[1:], strict=False))

    response = client.get("/kurse/bitcoin/", {"zeitraum": "max"})
    html = response.content.decode()
    assert response.status_code == 200
    svg = html.split('<svg id="chart-bitcoin-max"')[1].split("</svg>")[0]
    assert len(svg.encode()) < 30_000
    values = svg.split('data-v="')[1].split('"')[0].split()
    assert WIDE.max_points - 2 <= len(values) <= WIDE.max_points  # 5000+ days downsampled
    years = [int(y) for y in re.findall(r">(20\d\d)</text>", svg)]
    assert len(years) >= 4 and years == sorted(years) and years[0] <= 2013
    chart = coin_chart(coin=Coin.objects.get(coingecko_id="bitcoin"), range_key="max")
    stats = chart["stats"]
    series = daily_close_series(coin_id="bitcoin")
    assert stats["high"] == max(Decimal(repr(float(v))) for _, v in series)
    assert stats["low"] == min(Decimal(repr(float(v))) for _, v in series)
    assert stats["first"] == Decimal(repr(float(series[0][1])))
    one_year = coin_chart(coin=Coin.objects.get(coingecko_id="bitcoin"), range_key="1j")
    last_day = series[-1][0]
    window = [v for d, v in series if d >= last_day - dt.timedelta(days=365)]
    assert one_year["stats"]["high"] == Decimal(repr(float(max(window))))
