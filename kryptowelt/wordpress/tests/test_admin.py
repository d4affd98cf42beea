"""The import from the admin: upload, background task, progress and report (German)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kryptowelt.news.models import ArticlePage
from kryptowelt.wordpress.models import WordPressImport
from kryptowelt.wordpress.tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, home):
    user = django_user_model.objects.create_superuser("chefin", "chefin@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def tasks_run_at_once(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.KRYPTOWELT_WORDPRESS_UPLOAD_DIR = tmp_path / "imports"
    settings.WORDPRESS_MEDIA_ROOT = tmp_path


def upload(name: str, content: bytes | None = None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/xml")


def test_upload_runs_the_import_in_the_background_and_shows_the_report(
    admin_client, tasks_run_at_once, uploads, django_capture_on_commit_callbacks
):
    url = reverse("wordpress_import")
    page = admin_client.get(url)
    assert page.status_code == 200 and "Import starten" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "file": upload("site.wxr.xml"),
                "media_dir": uploads.name,
                "default_section": "trends",
            },
        )
    run = WordPressImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "wordpress_import_detail", args=[run.pk]
    )
    run.refresh_from_db()
    assert run.status == "done" and run.done == run.total > 0
    assert ArticlePage.objects.get(title="Steuern auf Kryptogewinne").live
    html = admin_client.get(response["Location"]).content.decode()
    assert "Ergebnis" in html and "Beiträge" in html and "fehlgeschlagen" in html
    assert "Skript: document.write" in html  # the details, per item
    assert 'http-equiv="refresh"' not in html  # finished: no more reloading
    # The upload is kept outside the public media folder.
    assert run.file.path.startswith(str(uploads.parent / "imports"))


def test_a_running_import_shows_its_progress(admin_client, tasks_run_at_once):
    run = WordPressImport.objects.create(
        file=upload("site.wxr.xml"), status="running", stage="Medien", done=3, total=12
    )
    html = admin_client.get(reverse("wordpress_import_detail", args=[run.pk])).content.decode()
    assert "Medien: 3 von 12 (25 %)" in html
    assert 'http-equiv="refresh"' in html


def test_a_file_that_is_not_wxr_is_refused_in_german(admin_client, tasks_run_at_once):
    response = admin_client.post(reverse("wordpress_import"), {"file": upload("rss-feed.xml")})
    assert response.status_code == 200
    assert "Die Datei ist keine WordPress-Exportdatei (WXR)" in response.content.decode()
    assert not WordPressImport.objects.exists()


def test_a_broken_file_ends_as_a_failed_import_with_the_reason(
    admin_client, tasks_run_at_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("wordpress_import"), {"file": upload("truncated.wxr.xml")})
    run = WordPressImport.objects.get()
    assert run.status == "failed" and "kein gültiges XML" in run.error
    html = admin_client.get(reverse("wordpress_import_detail", args=[run.pk])).content.decode()
    assert "Der Import wurde abgebrochen, es wurde nichts gespeichert." in html
    assert not ArticlePage.objects.filter(title="Steuern auf Kryptogewinne").exists()


def test_media_folder_outside_the_allowed_root_is_refused(admin_client, tasks_run_at_once):
    response = admin_client.post(
        reverse("wordpress_import"), {"file": upload("site.wxr.xml"), "media_dir": "/etc"}
    )
    assert "Der Medienordner muss unterhalb von" in response.content.decode()
    assert not WordPressImport.objects.exists()


def test_only_editors_with_the_permission_see_the_import(client, django_user_model, home):
    user = django_user_model.objects.create_user("redakteur", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("wordpress_import"))
    assert response.status_code in {302, 403}
