"""What deploy/nginx.conf and deploy/render_nginx.py must agree on with the app (issue 13).
The stack tests (kryptowelt/e2e) exercise the same through a running nginx."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from kryptowelt.caching.editors import derived_secret
from kryptowelt.calculators.tax_import.decoding import MAX_UPLOAD_BYTES
from kryptowelt.core.errors import ERRORS

DEPLOY = Path(settings.BASE_DIR) / "deploy"
CONF = (DEPLOY / "nginx.conf").read_text()


def render_nginx():
    spec = importlib.util.spec_from_file_location("render_nginx", DEPLOY / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_nginx_and_the_app_derive_the_same_editor_cookie_secret():
    key = "ein-geheimer-schluessel-" * 3
    assert render_nginx().editor_secret({"SECRET_KEY": key}) == derived_secret(key)
    assert render_nginx().editor_secret({"SECRET_KEY": key, "EDITOR_COOKIE_SECRET": "e" * 40}) == (
        "e" * 40
    )
    with pytest.raises(SystemExit, match="mindestens 32 Zeichen"):
        render_nginx().editor_secret({"EDITOR_COOKIE_SECRET": 'kurz"; evil'})


def test_nginx_needs_the_site_s_host_names():
    assert render_nginx().server_names("www.kryptowelt.de,kryptowelt.de") == (
        "www.kryptowelt.de kryptowelt.de"
    )
    for names in ("*", "", "_", "www.kryptowelt.de;evil"):
        with pytest.raises(SystemExit):
            render_nginx().server_names(names)


def test_the_tax_page_body_fits_nginx_s_memory_buffer():
    block = re.search(r"location = /rechner/steuer/ \{(.*?)\n        \}", CONF, re.DOTALL).group(1)
    buffer = size(re.search(r"client_body_buffer_size (\w+);", block).group(1))
    limit = size(re.search(r"client_max_body_size (\w+);", block).group(1))
    assert buffer >= limit >= MAX_UPLOAD_BYTES + 256 * 1024  # the file and the form around it
    assert "client_body_in_file_only off;" in block


def test_every_error_page_nginx_serves_is_written_by_error_pages(tmp_path):
    codes = {
        int(code) for code in re.findall(r"error_page \d+ (?:=(\d+) )?/__fehler/", CONF) if code
    }
    served = {int(name) for name in re.findall(r"/__fehler/(\d+)\.html", CONF)}
    assert served | codes <= set(ERRORS)
    call_command("error_pages", ziel=tmp_path)
    assert {int(path.stem) for path in tmp_path.glob("*.html")} == set(ERRORS)
    html = (tmp_path / "502.html").read_text()
    assert "<h1>Seite gerade nicht erreichbar</h1>" in html
    assert "data:image/svg+xml;base64," in html and ".site-header" in html
