"""What readers see: /kurse/, coin pages, /trends/, price chips and the "Kurs" block."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kryptowelt.markets.logos import LOGO_SIZE
from kryptowelt.markets.models import Coin, MarketSnapshot, PricePoint, SyncState
from kryptowelt.markets.services.history import coin_history_sync
from kryptowelt.markets.services.imports import price_history_import
from kryptowelt.markets.services.logos import coin_logo_draw
from kryptowelt.markets.services.sync import coin_markets_sync, trending_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api, payload

# The pages live below the home page (/kurse/ is a page of the tree).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]


@pytest.fixture
def synced(db):
    api = markets_api()
    client = make_client(api)
    report = coin_markets_sync(client=client)
    assert report.ok
    coin_history_sync(client=client, coin_ids=["bitcoin"])
    trending_sync(client=client)
    return api


def many_coins(count: int) -> list[dict]:
    template = payload("coins_markets_eur.json")[0]
    entries = []
    for index in range(count):
        entry = dict(template)
        entry.update(
            id=f"coin-{index + 1}",
            symbol=f"c{index + 1}",
            name=f"Coin {index + 1}",
            market_cap_rank=index + 1,
            current_price=1000 - index,
        )
        entries.append(entry)
    return entries


def test_market_list_shows_prices_in_german_format(client, synced, home):
    response = client.get("/kurse/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "81.234,56\u00a0€" in html
    assert "0,8634\u00a0€" in html  # Tether: below one euro, more places
    assert "0,00000892\u00a0€" in html  # Shiba Inu
    assert "1,6\u00a0Bio.\u00a0€" in html  # market cap of bitcoin
    assert 'class="change change--up"' in html and "+1,3\u00a0%" in html
    assert 'class="change change--down"' in html and "▼" in html
    assert html.count('class="sparkline') == 6
    assert "Stand: " in html and "Quelle: CoinGecko" in html
    assert "Beispieldaten" not in html
    # Logos are served from our host, never hot-linked.
    assert "/media/coins/bitcoin.png" in html
    assert "coingecko.com/coins/images" not in html
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"  # prices: briefly


def test_market_list_sorts_by_column_and_marks_it(client, synced, home):
    html = client.get("/kurse/", {"sortierung": "24h", "richtung": "ab"}).content.decode()
    names = re.findall(r'<span class="coin-name">([^<]+)</span>', html)
    assert names[0] == "XRP" and names[-1] == "Solana"
    assert 'aria-sort="descending"' in html
    html = client.get("/kurse/", {"sortierung": "name", "richtung": "auf"}).content.decode()
    names = re.findall(r'<span class="coin-name">([^<]+)</span>', html)
    assert names == sorted(names)
    # Nonsense parameters fall back to the default order instead of failing.
    response = client.get("/kurse/", {"sortierung": "'; DROP TABLE", "richtung": "seitwärts"})
    assert response.status_code == 200


def test_market_list_paginates_the_top_250(client, home):
    api = markets_api(**{"/coins/markets": [many_coins(250)]})
    assert coin_markets_sync(client=make_client(api), logos=False).ok
    first = client.get("/kurse/").content.decode()
    third = client.get("/kurse/", {"seite": 3}).content.decode()
    assert first.count('<tr><td class="col-rank') == 100
    assert "Coin 100<" in first and "Coin 101<" not in first
    assert "Coin 250<" in third and 'aria-current="page">201–250<' in third
    assert client.get("/kurse/", {"seite": 4}).status_code == 404
    assert client.get("/kurse/", {"seite": "x"}).status_code == 404


def test_market_list_shows_coingeckos_ranks_and_labels_pages_by_position(client, home):
    """CoinGecko's ranks have gaps (12 → 17 here): the rank column shows them as they are,
    and the pages are labelled by position, so "1–100" no longer ends at rank 104."""
    entries = many_coins(150)
    for index, entry in enumerate(entries):
        entry["market_cap_rank"] = index + 1 + (4 if index >= 12 else 0)
    entries[3]["total_volume"] = 97_512
    api = markets_api(**{"/coins/markets": [entries]})
    assert coin_markets_sync(client=make_client(api), logos=False).ok
    html = client.get("/kurse/").content.decode()
    ranks = re.findall(r'<td class="col-rank num">(\d+)</td>', html)
    assert ranks[11:13] == ["12", "17"] and ranks[-1] == "104"
    assert "Kryptowährungen 1 bis 100 von 150, sortiert nach Rang" in html
    assert 'aria-current="page">1–100<' in html and ">101–150</a>" in html
    assert "Plätze" not in html
    assert "fehlt ein Rang, lieferte CoinGecko" in html
    # Every volume carries its unit, small ones too.
    assert "97,5\u00a0Tsd.\u00a0€" in html


def test_market_list_finds_a_coin_by_name_or_symbol_without_javascript(client, synced, home):
    def names(params):
        html = client.get("/kurse/", params).content.decode()
        return re.findall(r'<span class="coin-name">([^<]+)</span>', html), html

    assert names({})[0] == ["Bitcoin", "Ethereum", "Tether", "XRP", "Solana", "Shiba Inu"]
    found, html = names({"name": "sol"})
    assert found == ["Solana"]
    assert 'name="name" value="sol"' in html and "1 Kryptowährung für „sol“" in html
    # Sorting keeps the filter.
    assert "?name=sol&amp;sortierung=preis" in html
    assert names({"name": "BTC"})[0] == ["Bitcoin"]
    assert names({"name": "  shiba   inu "})[0] == ["Shiba Inu"]
    found, html = names({"name": "Dogecoin"})
    assert found == []
    assert "Keine Kryptowährung in unserer Kursliste heißt „Dogecoin“" in html
    assert 'href="/suche/?q=Dogecoin"' in html
    assert client.get("/kurse/", {"name": "x" * 5000}).status_code == 200


def test_empty_market_list_explains_itself(client, db, home):
    response = client.get("/kurse/")
    assert response.status_code == 200
    assert "Noch liegen keine Kursdaten vor" in response.content.decode()


def test_coin_page_shows_price_stats_chart_and_converter(client, synced, home):
    response = client.get("/kurse/bitcoin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Bitcoin" in html and "81.234,56\u00a0€" in html
    assert "Allzeithoch" in html and "107.662,00\u00a0€" in html and "6. Oktober 2025" in html
    assert "Umlaufmenge" in html and "19,9\u00a0Mio.\u00a0BTC" in html
    assert "Maximale Menge" in html and "21,0\u00a0Mio.\u00a0BTC" in html
    for label in ("24 h", "7 T", "1 M", "1 J", "Max"):
        assert f">{label}</a>" in html
    assert '<svg id="chart-bitcoin-7t" class="price-chart' in html
    assert "Daten als Tabelle" in html and "<caption>Von " in html
    assert 'data-converter data-price="81234.56' in html
    assert "js/price-chart.js" in html


@pytest.mark.parametrize("range_key", ["24h", "7t", "1m", "1j", "max"])
def test_every_chart_range_renders(client, synced, range_key, home):
    html = client.get("/kurse/bitcoin/", {"zeitraum": range_key}).content.decode()
    assert f'id="chart-bitcoin-{range_key}"' in html
    assert 'aria-current="true"' in html


def test_converter_works_without_javascript(client, synced, home):
    html = client.get("/kurse/bitcoin/", {"menge": "0,5"}).content.decode()
    assert "0,5 BTC = 40.617,28\u00a0€" in html
    html = client.get("/kurse/bitcoin/", {"menge": "1", "euro": "812,35"}).content.decode()
    assert "0,01000005 BTC = 812,35\u00a0€" in html
    html = client.get("/kurse/bitcoin/", {"menge": "zwei"}).content.decode()
    assert "Bitte eine Zahl eingeben" in html


@pytest.mark.parametrize("path", ["/kurse/unbekannt/", "/kurse/..%2F/", "/kurse/BITCOIN/"])
def test_unknown_coins_are_404(client, synced, path, home):
    assert client.get(path).status_code == 404


def stand_of(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    iso = local.replace(microsecond=0).isoformat()
    return f'Stand: <time datetime="{iso}">{local:%d.%m.%Y, %H:%M} Uhr'


def test_pages_keep_serving_old_data_and_say_so_after_30_minutes(client, synced, home):
    # "Stand" is the time the figures describe (CoinGecko's last update), not the fetch.
    fetched = MarketSnapshot.objects.get(coin__coingecko_id="bitcoin").last_updated
    stand = stand_of(fetched)
    with time_machine.travel(fetched + dt.timedelta(minutes=20), tick=False):
        html = client.get("/kurse/").content.decode()
        assert stand in html and "Nicht aktuell" not in html
    with time_machine.travel(fetched + dt.timedelta(minutes=45), tick=False):
        for url in ("/kurse/", "/kurse/bitcoin/"):
            html = client.get(url).content.decode()
            assert stand in html
            assert "Nicht aktuell:" in html and "45 Minuten zurück" in html
            assert "81.234,56\u00a0€" in html
    with time_machine.travel(fetched + dt.timedelta(days=103, hours=1), tick=False):
        html = client.get("/kurse/bitcoin/").content.decode()
        assert "liegt 103 Tage zurück" in html  # not "103 Tagen"


def test_coin_page_has_one_honest_time_the_time_its_data_describes(client, synced, home):
    snapshot = MarketSnapshot.objects.get(coin__coingecko_id="bitcoin")
    # The synthetic quote was last updated at the source days before it was fetched.
    assert snapshot.fetched_at - snapshot.last_updated > dt.timedelta(days=1)
    with time_machine.travel(snapshot.fetched_at, tick=False):
        html = client.get("/kurse/bitcoin/").content.decode()
    assert stand_of(snapshot.last_updated) in html
    assert stand_of(snapshot.fetched_at) not in html
    assert "Nicht aktuell:" in html  # old data, although it was fetched a moment ago


def test_coin_chart_says_where_it_ends_when_that_is_well_before_now(client, synced, home):
    described = MarketSnapshot.objects.get(coin__coingecko_id="bitcoin").last_updated
    with time_machine.travel(described + dt.timedelta(minutes=20), tick=False):
        html = client.get("/kurse/bitcoin/", {"zeitraum": "7t"}).content.decode()
        assert "Dieser Chart endet am" not in html
    with time_machine.travel(described + dt.timedelta(days=60), tick=False):
        for range_key in ("24h", "7t", "1m", "1j", "max"):
            html = client.get("/kurse/bitcoin/", {"zeitraum": range_key}).content.decode()
            # The synthetic history's last point: 24 November 2026, 13:04 UTC.
            assert "Dieser Chart endet am" in html and "24.11.2026, 14:04 Uhr" in html, range_key


def test_all_time_high_and_low_agree_with_the_chart(client, synced, home):
    # A source's all-time figures can lag behind the stored history (synthetic values).
    MarketSnapshot.objects.filter(coin__coingecko_id="bitcoin").update(
        ath=Decimal("70000"), ath_change_percentage=Decimal("16"), atl=Decimal("70000")
    )
    html = client.get("/kurse/bitcoin/", {"zeitraum": "max"}).content.decode()
    figure = {
        label: re.search(rf"<dt>{label}</dt><dd>([^<]+)", html).group(1)
        for label in ("Allzeithoch", "Allzeittief", "Hoch im Zeitraum", "Tief im Zeitraum")
    }
    assert figure["Allzeithoch"] == figure["Hoch im Zeitraum"] == "81.234,56\u00a0€"
    assert figure["Allzeittief"] == figure["Tief im Zeitraum"]
    assert "70.000,00\u00a0€" not in html


def test_coin_page_lists_articles_that_mention_the_coin(client, synced, article_factory, home):
    about = article_factory(title="Bitcoin-ETF: Zuflüsse steigen", body="Text über BTC.")
    other = article_factory(title="Wallets im Vergleich", body="Kein Coin.", tags=["Wallets"])
    html = client.get("/kurse/bitcoin/").content.decode()
    assert about.title in html and other.title not in html


def test_article_shows_price_chips_for_mentioned_coins(client, synced, article_factory, home):
    article = article_factory(
        title="Ethereum und Bitcoin im Vergleich",
        body="## Zwei Netze\n\nEther ist die Währung von Ethereum; Bitcoins sind knapper.",
        tags=["Marktanalyse"],
    )
    html = client.get(article.url).content.decode()
    chips = html.split('class="coin-chips"')[1].split("</div>")[0]
    assert "ETH" in chips and "BTC" in chips and "2.734,18\u00a0€" in chips
    assert "Solana" not in chips


def test_trends_section_shows_movers_topics_and_still_lists_articles(
    client, synced, article_factory, home
):
    now = timezone.now()
    for index in range(3):
        article_factory(
            section="trends",
            title=f"Solana-Netzwerk wächst {index}",
            body="Solana und SOL im Fokus.",
            tags=["Solana", "DeFi"],
            published_at=now - dt.timedelta(days=1, hours=index),
        )
    article_factory(
        section="trends",
        title="Älterer Artikel über DeFi",
        tags=["DeFi"],
        published_at=now - dt.timedelta(days=20),
    )
    response = client.get("/trends/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gewinner (24 h)" in html and "Verlierer (24 h)" in html
    gainers = html.split("Gewinner (24 h)")[1].split("Verlierer (24 h)")[0]
    assert gainers.index("XRP") < gainers.index("Bitcoin")
    losers = html.split("Verlierer (24 h)")[1].split("Themen im Trend")[0]
    assert "Solana" in losers and "▼" in losers
    topics = html.split("Themen im Trend")[1].split("</ol>")[0]
    assert "Solana" in topics and "3 Artikel in 7 Tagen" in topics
    assert "Meistgesucht bei CoinGecko" in html and "Pepe" in html
    assert "Solana-Netzwerk wächst 0" in html  # the section's article list is still there


def test_other_sections_do_not_get_the_market_head(client, synced, home):
    html = client.get("/neuigkeiten/").content.decode()
    assert "Markt im Überblick" not in html


def test_price_block_renders_in_an_article(client, synced, home):
    from kryptowelt.core.markdown import markdown_to_blocks
    from kryptowelt.news.factories import section_get
    from kryptowelt.news.services import article_create, author_get_or_create

    body = markdown_to_blocks("Ein Absatz.") + [
        {"type": "price", "value": {"coin": "ethereum", "show_chart": True, "note": "Zur Info"}}
    ]
    article = article_create(
        section=section_get("neuigkeiten"),
        title="Ein Artikel mit Kursbox",
        teaser="Vorspann.",
        body=body,
        authors=[author_get_or_create(name="Erika Musterfrau")],
    )
    html = client.get(article.url).content.decode()
    box = html.split('class="price-box"')[1].split("</aside>")[0]
    assert "Ethereum" in box and "2.734,18\u00a0€" in box and "Zur Info" in box
    assert 'class="sparkline' in box


def test_sample_data_is_labelled_on_every_page_that_shows_it(client, home, article_factory):
    from kryptowelt.markets.demo import load_market_samples

    article = article_factory(title="Bitcoin im Blick", body="Über Bitcoin.")
    load_market_samples()
    for url in ("/kurse/", "/kurse/bitcoin/", "/trends/", article.url):
        html = client.get(url).content.decode()
        assert "Beispieldaten – keine echten Kurse" in html, url


def test_coin_known_only_from_imported_history_has_a_page(client, db, tmp_path, home):
    csv = tmp_path / "prices.csv"
    csv.write_text("date,close\n2024-01-01,100.5\n2024-01-02,101.25\n2024-01-03,99\n")
    price_history_import(source=csv, coin_id="testcoin", currency="eur")
    response = client.get("/kurse/testcoin/", {"zeitraum": "max"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "99,00\u00a0€" in html and "Nicht aktuell" in html
    assert "Dieser Chart endet am" in html and "03.01.2024" in html


def test_no_page_calls_the_api_while_rendering(client, synced, monkeypatch, home):
    def forbidden(*args, **kwargs):
        raise AssertionError("pages must not call CoinGecko")

    monkeypatch.setattr("kryptowelt.markets.coingecko.client.CoinGeckoClient.get_json", forbidden)
    monkeypatch.setattr("kryptowelt.markets.coingecko.client.CoinGeckoClient.__init__", forbidden)
    for url in ("/kurse/", "/kurse/bitcoin/?zeitraum=max", "/kurse/ethereum/"):
        assert client.get(url).status_code == 200


def test_money_is_stored_as_decimal(synced):
    price = PricePoint.objects.filter(coin__coingecko_id="bitcoin").latest("timestamp").price
    assert isinstance(price, Decimal)
    assert Coin.objects.count() == 6
    assert SyncState.objects.get(kind=SyncState.HISTORY).last_success_at


def test_admin_lists_coins_and_sync_states(admin_client, synced, home):
    html = admin_client.get("/admin/coin/").content.decode()
    assert "Bitcoin" in html and "Solana" in html
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", html)
    assert "Nein" in cells  # "Beispieldaten" in German
    assert "True" not in cells and "False" not in cells
    html = admin_client.get("/admin/syncstate/").content.decode()
    assert "Kurse" in html and "Kursverlauf" in html


def test_editors_can_pick_a_coin_for_the_price_block(admin_client, synced, article_factory, home):
    article = article_factory(title="Ein Artikel")
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kryptowährung" in html and "Bitcoin (BTC)" in html and "Solana (SOL)" in html


def test_coin_logos_are_never_shown_larger_than_their_pixels_allow(client, synced):
    """A phone draws 1,5 device pixels per CSS pixel (or more): a logo stored 64 px wide may be
    shown at most 42 px wide, or it is blurred (Lighthouse's image-size-responsive)."""
    for coin in Coin.objects.all():
        coin_logo_draw(coin=coin)
    for url in ("/", "/kurse/", "/kurse/bitcoin/", "/trends/"):
        html = client.get(url).content.decode()
        shown = [int(width) for width in re.findall(r'class="coin-logo" [^>]*width="(\d+)"', html)]
        assert shown, url
        assert max(shown) * 1.5 <= LOGO_SIZE, (url, max(shown))
