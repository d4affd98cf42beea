"""„Meistgelesen“ as readers and editors meet it: nginx's view log (hand-made lines in the
format deploy/nginx.conf writes, copied from a run of that configuration) is counted by
`kryptowelt count_views`, and the box on the home page and the section page, and the API,
show the result. Views that only the proxy cache answered are in the log like any other."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kryptowelt.popular.models import ArticleViews

pytestmark = pytest.mark.django_db


def _hour(hours_ago=0) -> str:
    hour = timezone.now().astimezone(dt.UTC) - dt.timedelta(hours=hours_ago)
    return hour.strftime("%Y-%m-%dT%H+00:00")


def _line(path, *, hours_ago=0, status="200", flags="00") -> str:
    return f"{_hour(hours_ago)} {status} {flags} {path}\n"


@pytest.fixture
def articles(article_factory):
    return {
        "popular": article_factory(title="Viel gelesen"),
        "less": article_factory(title="Weniger gelesen"),
        "old": article_factory(title="Letzte Woche gelesen", section="tipps"),
    }


def _log(tmp_path, lines) -> str:
    log = tmp_path / "views.log"
    log.write_text("".join(lines), encoding="utf-8")
    return str(log)


def _count(log) -> str:
    out = StringIO()
    call_command("count_views", log=log, stdout=out)
    return out.getvalue()


def test_counts_people_not_bots_or_prefetches(tmp_path, articles, client):
    popular, less, old = articles["popular"].url, articles["less"].url, articles["old"].url
    log = _log(
        tmp_path,
        [_line(popular)] * 3
        + [_line(less)]
        + [_line(popular, flags="10")] * 5  # bots
        + [_line(popular, flags="01")] * 5  # prefetches
        + [_line(less, status="404")] * 5
        + [_line(old, hours_ago=48)] * 6
        + [_line("/"), "Unsinn, keine Zeile von uns\n"],
    )
    out = _count(log)
    assert "10 Artikelaufrufe gezählt" in out
    assert "1 Aufrufe anderer Seiten" in out
    assert "16 nicht gezählt" in out
    # The log was taken: the next run counts nothing twice.
    assert (tmp_path / "views.log").read_text() == ""
    assert "0 Artikelaufrufe" in _count(log)
    assert sum(ArticleViews.objects.values_list("views", flat=True)) == 10

    home = articles["popular"].get_parent().get_parent()
    day, week = _box_lists(client, home.url)
    assert day == ["Viel gelesen", "Weniger gelesen"]
    assert week == ["Letzte Woche gelesen", "Viel gelesen", "Weniger gelesen"]

    data = client.get("/api/v1/articles/most-read/?period=7d").json()
    assert [(item["article"]["title"], item["views"]) for item in data["items"]] == [
        ("Letzte Woche gelesen", 6),
        ("Viel gelesen", 3),
        ("Weniger gelesen", 1),
    ]


def _box_lists(client, url):
    html = client.get(url).content.decode()
    assert "Meistgelesen" in html
    box = html.split('class="most-read"', 1)[1].split("</section>", 1)[0]
    day_part, week_part = box.split("Letzte 7 Tage", 1)

    def titles(part):
        return [chunk.split("</a>", 1)[0].rsplit(">", 1)[-1] for chunk in part.split("<li>")[1:]]

    return titles(day_part), titles(week_part)


def test_section_box_lists_only_its_section(tmp_path, articles, client):
    log = _log(tmp_path, [_line(articles["popular"].url)] * 2 + [_line(articles["old"].url)])
    _count(log)
    section = articles["old"].get_parent()
    day, week = _box_lists(client, section.url)
    assert day == week == ["Letzte Woche gelesen"]


def test_editor_can_exclude_an_article(tmp_path, articles, admin_client, client):
    popular = articles["popular"]
    edit = admin_client.get(f"/admin/pages/{popular.pk}/edit/")
    assert 'name="most_read_excluded"' in edit.content.decode()
    _count(_log(tmp_path, [_line(popular.url)] * 3 + [_line(articles["less"].url)]))
    popular.most_read_excluded = True
    popular.save_revision().publish()
    home = popular.get_parent().get_parent()
    day, _week = _box_lists(client, home.url)
    assert day == ["Weniger gelesen"]
    items = client.get("/api/v1/articles/most-read/").json()["items"]
    assert [item["article"]["title"] for item in items] == ["Weniger gelesen"]


def test_the_box_s_articles_are_remembered_until_the_content_changes(
    tmp_path, articles, client, django_assert_num_queries
):
    """On the home page and every section page: once read, the box costs no query until the
    counts or the content change, and an edited title shows at once."""
    from kryptowelt.popular.selectors import article_most_read_list

    _count(_log(tmp_path, [_line(articles["popular"].url)] * 3 + [_line(articles["less"].url)]))
    first = article_most_read_list(period="24h")
    assert [entry.article.title for entry in first.entries] == ["Viel gelesen", "Weniger gelesen"]
    with django_assert_num_queries(0):
        again = article_most_read_list(period="24h")
    assert [entry.views for entry in again.entries] == [3, 1]
    popular = articles["popular"]
    popular.title = "Viel gelesen, neu betitelt"
    popular.save_revision().publish()
    home = popular.get_parent().get_parent()
    day, _week = _box_lists(client, home.url)
    assert day == ["Viel gelesen, neu betitelt", "Weniger gelesen"]


def test_nothing_counted_yet_shows_no_box(articles, client):
    home = articles["popular"].get_parent().get_parent()
    assert 'class="most-read"' not in client.get(home.url).content.decode()


def test_missing_log_folder_is_a_german_error(tmp_path, db):
    with pytest.raises(CommandError, match="Den Ordner des Protokolls gibt es nicht"):
        call_command("count_views", log=str(tmp_path / "fehlt" / "views.log"))


def test_old_counts_are_forgotten(tmp_path, articles):
    ArticleViews.objects.create(
        article=articles["popular"],
        hour=timezone.now() - dt.timedelta(days=9),
        views=4,
    )
    assert "1 alte Stundenwerte gelöscht" in _count(_log(tmp_path, []))
    assert not ArticleViews.objects.exists()
