"""deploy/render_nginx.py for several app nodes: one upstream server line per node, and the
PURGE location open to the app nodes that are not on the cache's machine."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def render_nginx():
    spec = importlib.util.spec_from_file_location("render_nginx", DEPLOY / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_app_node_is_a_server_of_the_one_upstream(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 60)
    output = tmp_path / "nginx.conf"
    monkeypatch.setattr(
        "sys.argv",
        [
            "render_nginx.py",
            *("--var-dir", str(tmp_path), "--server-names", "www.kryptowelt.de"),
            *("--app", "10.0.0.11:8081", "--app", "unix:/run/kryptowelt/app.sock"),
            *("--purge-allow", "10.0.0.0/24", "--output", str(output)),
        ],
    )
    render_nginx().main()
    text = output.read_text()
    upstream = re.search(r"upstream kryptowelt_app \{(.*?)\}", text, re.S).group(1)
    assert re.findall(r"server (\S+);", upstream) == [
        "10.0.0.11:8081",
        "unix:/run/kryptowelt/app.sock",
    ]
    purge = re.search(r"location \^~ /__purge/ \{(.*?)\}", text, re.S).group(1)
    assert re.findall(r"allow (\S+);", purge) == ["127.0.0.1", "::1", "10.0.0.0/24"]
    assert purge.strip().splitlines()[-2].strip() == "deny all;" or "deny all;" in purge


def test_a_malformed_app_address_or_purge_network_is_refused():
    with pytest.raises(SystemExit, match="App-Adresse"):
        render_nginx().app_servers(["10.0.0.11:8081; evil"])
    with pytest.raises(SystemExit, match="--purge-allow"):
        render_nginx().purge_allow("10.0.0.0/33")
