"""Media on S3-compatible object storage (MEDIA_STORAGE=s3): an image uploaded in the admin
lands in the bucket, and a page shows renditions that the store itself serves.

The store is moto's S3 server, in this process on loopback; it stands in for AWS S3, MinIO,
Ceph, Hetzner Object Storage and the like (docs/runbook.md)."""

import io
import re

import boto3
import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from kryptowelt.images.models import CustomImage
from kryptowelt.settings.framework import media_storage_backend

pytestmark = pytest.mark.django_db
BUCKET = "kryptowelt-media"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """The settings of MEDIA_STORAGE=s3 against a fresh bucket; the bucket's client."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-central-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",  # noqa: S106 - moto accepts any
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    for name, value in {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "eu-central-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "MEDIA_PUBLIC_URL": f"{s3_server}/{BUCKET}",
        # Readers fetch images anonymously: public objects (a bucket policy does the same
        # on a real store).
        "S3_DEFAULT_ACL": "public-read",
    }.items():
        monkeypatch.setenv(name, value)
    backend, public_url = media_storage_backend()
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    settings.MEDIA_URL = public_url
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _jpeg(width=1600, height=900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (247, 147, 26)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_image_uploaded_in_the_admin_is_stored_and_served_from_the_bucket(
    s3_media, s3_server, admin_client, article_factory
):
    assert type(storages["default"]).__name__ == "S3Storage"
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Bitcoin-Münze",
            "description": "Eine goldene Bitcoin-Münze auf orangem Grund",
            "file": SimpleUploadedFile("muenze.jpg", _jpeg(), content_type="image/jpeg"),
            "collection": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = CustomImage.objects.get(title="Bitcoin-Münze")
    # Size and dimensions were read once, on upload, and kept: pages never ask the store.
    assert (image.width, image.height, image.file_size) == (1600, 900, len(_jpeg()))
    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert image.file.name in keys

    article = article_factory(title="Bitcoin im Bild", hero_image=image)
    page = admin_client.get(article.url).content.decode()
    sources = re.findall(rf'{re.escape(s3_server)}/{BUCKET}/images/[^"\s,]+', page)
    assert sources, page[:3000]
    for source in set(sources):
        answer = httpx.get(source)
        assert answer.status_code == 200, source
        assert answer.headers["content-type"].startswith("image/")
        assert Image.open(io.BytesIO(answer.content)).width in (480, 800, 1200, 240, 640)
    # The renditions are in the bucket too, so every app node serves the same files.
    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(key.startswith("images/") and ".fill-" in key for key in keys), keys


def test_s3_storage_without_a_bucket_is_refused_in_german(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET fehlt"):
        media_storage_backend()
