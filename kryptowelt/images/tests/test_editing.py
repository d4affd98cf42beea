"""An editor edits an image that articles show (admin → Bilder): readers get the new file and
credit line at once, and the caching proxy is purged as on a publish."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def _jpeg(colour) -> io.BytesIO:
    data = io.BytesIO()
    PILImage.new("RGB", (1200, 675), colour).save(data, "JPEG")
    data.seek(0)
    return data


@pytest.fixture
def hero(settings, tmp_path, article_factory):
    settings.MEDIA_ROOT = str(tmp_path)
    image = get_image_model()(title="Aufmacher", description="Ein Diagramm", credit="Foto: Alt")
    image.file = ImageFile(_jpeg("red"), name="aufmacher.jpg")
    image.save()
    article = article_factory(section="tipps", title="Mit Aufmacherbild")
    article.hero_image = image
    article.save_revision().publish()
    return image, article


def _edit(admin_client, image, **changes):
    data = {
        "title": image.title,
        "description": image.description,
        "credit": image.credit,
        "collection": image.collection_id,
        "tags": "",
        **changes,
    }
    response = admin_client.post(reverse("wagtailimages:edit", args=[image.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _renditions(html: str) -> list[str]:
    return re.findall(r'src="/media/([^"]+\.webp)"', html)


def test_an_edited_image_shows_at_once_where_pages_are_cached(admin_client, hero, settings):
    settings.KRYPTOWELT_PAGE_CACHE_SECONDS = 300
    settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS = 300
    image, article = hero
    reader = Client()
    before = reader.get(article.url).content.decode()
    assert "Foto: Alt" in before
    assert reader.get(article.url)["X-App-Cache"] == "HIT"

    _edit(admin_client, image, credit="Foto: Neu", file=ImageFile(_jpeg("blue"), name="neu.jpg"))
    after = reader.get(article.url).content.decode()
    assert "Foto: Neu" in after and "Foto: Alt" not in after
    # The page points at renditions of the new file, which exist.
    assert _renditions(after) and set(_renditions(after)).isdisjoint(_renditions(before))
    for name in _renditions(after):
        assert (Path(settings.MEDIA_ROOT) / name).exists()


def test_editing_a_shown_image_purges_its_pages_and_a_new_upload_nothing(
    admin_client, hero, purged
):
    image, article = hero
    purged.clear()
    _edit(admin_client, image, credit="Foto: Neu")
    base = "http://testserver"
    assert {f"{base}{article.url}", f"{base}/tipps/", f"{base}/"} <= set(purged)

    # Wagtail measuring a used image's file on first use changes nothing readers see.
    purged.clear()
    type(image).objects.filter(pk=image.pk).update(file_size=None)
    image.refresh_from_db()
    assert image.get_file_size() > 0
    assert purged == []

    purged.clear()
    unused = get_image_model()(title="Noch ungenutzt", description="Ein Foto")
    unused.file = ImageFile(_jpeg("green"), name="ungenutzt.jpg")
    unused.save()
    _edit(admin_client, unused, credit="Foto: Archiv")
    assert purged == []
