"""The import's building blocks on their own: the streaming reader, shortcodes, WordPress
paragraphs, attachment metadata, downloads and the /?p= redirects."""

import tracemalloc

import httpx
import pytest
from wagtail.contrib.redirects.models import Redirect

from kryptowelt.wordpress.index import Attachment
from kryptowelt.wordpress.markup import autop, to_html
from kryptowelt.wordpress.media import MediaError, MediaFetcher
from kryptowelt.wordpress.phpserial import php_unserialize
from kryptowelt.wordpress.shortcodes import expand_shortcodes
from kryptowelt.wordpress.wxr import Item, WxrError, WxrReader

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>'
    "<wp:base_site_url>https://synth.example</wp:base_site_url>\n"
)
ITEM = (
    "<item><title>Beitrag {n}</title><content:encoded><![CDATA[{text}]]></content:encoded>"
    "<wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>\n"
)


def synthetic_export(path, items: int):
    """A generated (synthetic) export of `items` posts of 2 KB each."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEAD)
        for number in range(items):
            handle.write(ITEM.format(n=number, text="Text " * 400))
        handle.write("</channel></rss>")
    return path


def peak_while_reading(path) -> int:
    tracemalloc.start()
    count = sum(1 for thing in WxrReader(path) if isinstance(thing, Item))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_reading_streams_memory_does_not_grow_with_the_file(tmp_path):
    small = synthetic_export(tmp_path / "small.xml", 200)
    large = synthetic_export(tmp_path / "large.xml", 4000)  # 20 times the file
    small_count, small_peak = peak_while_reading(small)
    large_count, large_peak = peak_while_reading(large)
    assert (small_count, large_count) == (200, 4000)
    assert large_peak < small_peak * 1.5 + 200_000


def test_forbidden_control_characters_are_dropped_and_counted(tmp_path):
    path = tmp_path / "ctrl.xml"
    path.write_bytes(
        synthetic_export(tmp_path / "x.xml", 1).read_bytes().replace(b"Text", b"Te\x0bxt", 1)
    )
    reader = WxrReader(path)
    items = [thing for thing in reader if isinstance(thing, Item)]
    assert items[0].content.startswith("Text ")
    assert reader.removed_bytes == 1


def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss>&a;</rss>')
    with pytest.raises(WxrError, match="DTD oder Entitäten"):
        list(WxrReader(path))


def test_shortcodes_known_unknown_and_plain_brackets():
    result = expand_shortcodes(
        '[caption id="attachment_5" width="300"]<img class="wp-image-5" src="a.jpg" /> Bildtext[/caption]'
        ' [ccpw id="7"] [su_note color="x"]Hinweis[/su_note] [sic] [[gallery]] [gallery ids="1,2"]'
    )
    assert (
        '<figure class="kw-caption"><img class="wp-image-5" src="a.jpg" /><figcaption>Bildtext</figcaption></figure>'
        in result.html
    )
    assert "Hinweis" in result.html and "[sic]" in result.html and "[gallery]" in result.html
    assert 'data-ids="1,2"' in result.html
    assert dict(result.unknown) == {"ccpw": 1, "su_note": 1}


def test_autop_makes_paragraphs_but_leaves_blocks_alone():
    html = autop(
        "Erster Absatz\nmit Umbruch.\n\n<h2>Titel</h2>\nText danach\n\n<ul><li>a</li></ul>"
    )
    assert "<p>Erster Absatz<br />\nmit Umbruch.</p>" in html
    assert "<h2>Titel</h2>" in html and "<p>Text danach</p>" in html
    assert "<p><ul>" not in html


def test_block_comments_are_resolved_and_counted():
    content = (
        "<!-- wp:paragraph --><p>A</p><!-- /wp:paragraph -->"
        "<!-- wp:separator --><hr /><!-- /wp:separator -->"
        '<!-- wp:core-embed/youtube {"url":"https://youtu.be/abcdefghijk"} --><figure>x</figure><!-- /wp:core-embed/youtube -->'
        '<!-- wp:block {"ref":9} /-->'
    )
    markup = to_html(
        content, reusable={9: "<!-- wp:paragraph --><p>Wiederverwendet</p><!-- /wp:paragraph -->"}
    )
    assert "<hr" not in markup.html and "Wiederverwendet" in markup.html
    assert 'data-url="https://youtu.be/abcdefghijk"' in markup.html
    assert markup.block_types["separator"] == 1 and markup.block_types["block"] == 1


def test_attachment_metadata_is_read_without_objects():
    value = php_unserialize(
        'a:2:{s:4:"file";s:12:"2024/01/ä.j";s:5:"sizes";a:1:{s:6:"medium";a:1:{s:4:"file";s:5:"m.jpg";}}}'
    )
    assert value == {"file": "2024/01/ä.j", "sizes": {"medium": {"file": "m.jpg"}}}
    assert php_unserialize('O:8:"stdClass":0:{}') is None
    assert php_unserialize("kein php") is None


def attachment(url="https://old.example/wp-content/uploads/2024/01/bild.jpg"):
    return Attachment(wp_id=1, title="Bild", url=url, relative="2024/01/bild.jpg", original="",
                      alt="", caption="", credit="", parent=0)  # fmt: skip


def fetcher(handler, **kwargs):
    options = {"hosts": {"old.example"}, "max_bytes": 1000, "timeout": 1, "interval": 0.5}
    options.update(kwargs)
    return MediaFetcher(client=httpx.Client(transport=httpx.MockTransport(handler)), **options)


def test_fetch_media_checks_type_size_and_host():
    def handler(request):
        if request.url.path.endswith("bild.jpg"):
            return httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>")
        return httpx.Response(200, headers={"content-type": "image/jpeg"}, content=b"x" * 5000)

    with pytest.raises(MediaError, match="falscher Inhaltstyp „text/html“"):
        fetcher(handler).read(attachment())
    big = attachment("https://old.example/wp-content/uploads/2024/01/gross.jpg")
    with pytest.raises(MediaError, match="größer als"):
        fetcher(handler).read(big)
    with pytest.raises(MediaError, match="gehört nicht zur exportierten Website"):
        fetcher(handler).read(attachment("https://intern.example/wp-content/uploads/x.jpg"))
    with pytest.raises(MediaError, match="internen Netz"):
        fetcher(handler, hosts={"169.254.169.254"}).read(attachment("http://169.254.169.254/a.jpg"))


def test_fetch_media_waits_between_requests_to_one_host_and_times_out():
    pauses, now = [], [100.0]

    def handler(request):
        if "langsam" in request.url.path:
            raise httpx.ReadTimeout("zu langsam", request=request)
        return httpx.Response(200, headers={"content-type": "image/jpeg"}, content=b"jpeg")

    media = fetcher(handler, sleep=pauses.append, clock=lambda: now[0])
    assert media.read(attachment()) == (b"jpeg", "bild.jpg")
    media.read(attachment())
    assert pauses == [0.5]
    with pytest.raises(MediaError, match="Zeitüberschreitung"):
        media.read(attachment("https://old.example/wp-content/uploads/langsam.jpg"))


@pytest.mark.django_db
def test_wordpress_id_addresses_redirect_before_the_home_page_answers(home, client):
    article = home.get_children().first()
    Redirect.add_redirect("/?p=42", article)
    response = client.get("/?p=42&utm_source=x")
    assert (response.status_code, response["Location"]) == (301, article.url)
    assert client.get("/?p=43").status_code == 200  # unknown: the home page, as before
    assert client.get("/?seite=2").status_code == 200
