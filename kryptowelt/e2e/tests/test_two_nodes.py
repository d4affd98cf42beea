"""Two app nodes for real (issue 16, item 7): two gunicorn processes with their own ports and
var folders, each with its own task worker and scheduler, behind two nginx caches that both
balance over both nodes; one PostgreSQL (a throwaway cluster, scripts/pg-test-cluster.sh),
one Redis, and media in S3-compatible storage (moto's S3 server, standing in for a real
store; docs/runbook.md).

What an operator relies on when adding a machine: a publish on node A is what node B serves
at once and what every cache purges (FRONTEND_CACHE_PURGE_URLS), an image uploaded on A is
served on B, two workers run each task once with purges first, and two schedulers run each
due job once."""

import contextlib
import datetime as dt
import io
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import httpx
import pytest
from django.conf import settings
from PIL import Image

pytestmark = pytest.mark.stack

ROOT = Path(settings.BASE_DIR)
VENV = ROOT / ".venv"
BUCKET = "kryptowelt-media"
STARTUP_SECONDS = 240


def _get(url: str, **kwargs) -> httpx.Response:
    """A GET with room for a slow first render (renditions written to the store) on a busy
    test machine."""
    return httpx.get(url, **{"timeout": 60, **kwargs})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, *, seconds: float, what: str, process=None, log=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.2)
    detail = Path(log).read_text()[-3000:] if log and Path(log).exists() else ""
    pytest.fail(f"{what} startete nicht.\n{detail}")


class TwoNodes:
    def __init__(self, base: Path):
        self.base = base
        self.processes: list[subprocess.Popen] = []
        self.named: dict[str, subprocess.Popen] = {}
        self.ports = {
            name: _free_port() for name in ("pg", "s3", "app_a", "app_b", "cache_1", "cache_2")
        }
        self.pg_dir = Path(tempfile.mkdtemp(prefix="kryptowelt-two-nodes-pg."))
        self.s3_url = f"http://127.0.0.1:{self.ports['s3']}"
        self.redis_socket = base / "redis.sock"
        self.caches = [f"http://127.0.0.1:{self.ports[f'cache_{n}']}" for n in (1, 2)]
        self.apps = {node: f"http://127.0.0.1:{self.ports[f'app_{node}']}" for node in "ab"}

    # --- processes -------------------------------------------------------------------------
    def spawn(self, name: str, command: list[str], env=None) -> subprocess.Popen:
        log = (self.base / "log" / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=env or os.environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        self.named[name] = process
        return process

    def processes_named(self, name: str) -> subprocess.Popen:
        return self.named[name]

    def log(self, name: str) -> str:
        return (self.base / "log" / f"{name}.log").read_text()

    def env(self, node: str) -> dict[str, str]:
        """The production settings of app node `node` ("a" or "b")."""
        var = self.base / f"node-{node}"
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
        return {
            **keep,
            "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.production",
            "KRYPTOWELT_VAR_DIR": str(var),
            "SECRET_KEY": "zwei-knoten-test-" * 4,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.caches[0],
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://{self.redis_socket}?db=0",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "GUNICORN_BIND": f"127.0.0.1:{self.ports[f'app_{node}']}",
            "WEB_CONCURRENCY": "2",
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.s3_url,
            "S3_REGION": "eu-central-1",
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
            "S3_DEFAULT_ACL": "public-read",
            "MEDIA_PUBLIC_URL": f"{self.s3_url}/{BUCKET}",
            "FRONTEND_CACHE_PURGE_URLS": ",".join(f"{cache}/__purge" for cache in self.caches),
            # Market syncs fail at once instead of waiting for the internet.
            "COINGECKO_BASE_URL": "http://127.0.0.1:9/api/v3",
            "COINGECKO_MAX_RETRIES": "0",
        }

    def kryptowelt(self, node: str, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [str(VENV / "bin" / "kryptowelt"), *args],
            cwd=ROOT,
            env=self.env(node),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def python(self, node: str, code: str):
        """Run `code` in a Django shell of node `node`; what it printed last, as JSON."""
        output = self.kryptowelt(node, "shell", "-c", code)
        return json.loads(output.strip().splitlines()[-1])

    def start(self) -> None:
        (self.base / "log").mkdir(parents=True)
        subprocess.run(  # noqa: S603
            [str(ROOT / "scripts" / "ensure-debian-packages.sh"), "postgresql", "nginx"]
            + ["libnginx-mod-http-cache-purge", "redis-server"],
            check=True,
            capture_output=True,
        )
        self.database_url = subprocess.run(  # noqa: S603
            [str(ROOT / "scripts" / "pg-test-cluster.sh"), "start", str(self.pg_dir)],
            env={**os.environ, "PG_TEST_PORT": str(self.ports["pg"])},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        self.spawn(
            "redis",
            ["redis-server", "--port", "0", "--unixsocket", str(self.redis_socket)]
            + ["--unixsocketperm", "700", "--save", "", "--appendonly", "no"],
        )
        s3 = self.spawn(
            "s3",
            [str(VENV / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["s3"])],
        )
        _wait_for(
            lambda: _get(self.s3_url).status_code < 500,
            seconds=60,
            what="Der S3-Server (moto)",
            process=s3,
            log=self.base / "log" / "s3.log",
        )
        boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name="eu-central-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106 - moto accepts any
        ).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
        # One database for both nodes; each node its own static files (its own machine).
        self.kryptowelt("a", "migrate", "--noinput")
        for node in "ab":
            self.kryptowelt(node, "collectstatic", "--noinput")
        self.kryptowelt("a", "error_pages")
        # The site and two articles (synthetic; the whole demo takes minutes on a busy box).
        self.kryptowelt(
            "a",
            "shell",
            "-c",
            "from kryptowelt.home.factories import site_create; "
            "from kryptowelt.news.factories import article_make; site_create(); "
            "[article_make(title=f'Zwei Knoten, Artikel {n}') for n in (1, 2)]",
        )
        self.kryptowelt("a", "site_url")
        self.schedulers_started = time.monotonic()
        for node in "ab":
            env = self.env(node)
            self.spawn(
                f"app-{node}",
                [str(VENV / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                env,
            )
            self.spawn(
                f"worker-{node}",
                [str(VENV / "bin" / "kryptowelt"), "worker", "--interval", "0.2"]
                + ["--queue-name", "*"],
                env,
            )
            self.spawn(f"scheduler-{node}", [str(VENV / "bin" / "kryptowelt"), "scheduler"], env)
        for number, cache in enumerate(self.caches, start=1):
            var = self.base / f"cache-{number}"
            conf = var / "nginx" / "nginx.conf"
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    str(ROOT / "deploy" / "render_nginx.py"),
                    *("--var-dir", str(var), "--listen", cache.removeprefix("http://")),
                    *("--app", f"127.0.0.1:{self.ports['app_a']}"),
                    *("--app", f"127.0.0.1:{self.ports['app_b']}"),
                    *("--static-root", str(self.base / "node-a" / "static")),
                    *("--access-log", str(var / "access.log")),
                    *("--user", pwd.getpwuid(os.getuid()).pw_name),
                    *("--output", str(conf)),
                ],
                env=self.env("a"),
                check=True,
                capture_output=True,
            )
            self.spawn(
                f"nginx-{number}",
                ["nginx", "-c", str(conf), "-p", str(var / "nginx"), "-g", "daemon off;"],
            )
        caches = {f"nginx-{number}": url for number, url in enumerate(self.caches, start=1)}
        apps = {f"app-{node}": url for node, url in self.apps.items()}
        for name, url in [*apps.items(), *caches.items()]:
            _wait_for(
                lambda url=url: _get(url + "/", timeout=30).status_code == 200,
                seconds=STARTUP_SECONDS,
                what=f"{url}",
                log=self.base / "log" / f"{name}.log",
            )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        subprocess.run(  # noqa: S603
            [str(ROOT / "scripts" / "pg-test-cluster.sh"), "stop", str(self.pg_dir)], check=False
        )
        shutil.rmtree(self.pg_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    cluster = TwoNodes(tmp_path_factory.mktemp("two-nodes"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_two_schedulers_run_every_due_job_once(nodes):
    """Both nodes' schedulers have been running since the start; every job not yet due a
    second time has run exactly once between them."""
    assert all(nodes.processes_named(f"scheduler-{node}").poll() is None for node in "ab")
    runs = nodes.python(
        "a",
        "import json; from kryptowelt.core.models import PeriodicJob; "
        "print(json.dumps({j.name: j.runs for j in PeriodicJob.objects.all()}))",
    )
    elapsed = time.monotonic() - nodes.schedulers_started
    rare = {path for path, seconds in settings.KRYPTOWELT_PERIODIC_JOBS if seconds > elapsed + 5}
    assert rare and rare <= set(runs)
    assert {path: runs[path] for path in rare} == dict.fromkeys(rare, 1)
    started = re.findall(
        r"Periodische Aufgabe (\S+) gestartet",
        nodes.log("scheduler-a") + nodes.log("scheduler-b"),
    )
    for path in rare:
        assert started.count(path) == 1, started


def _newest_article(nodes) -> str:
    return nodes.python(
        "a",
        "import json; from kryptowelt.news.models import ArticlePage; "
        "print(json.dumps(ArticlePage.objects.live().order_by('-pk').first().url))",
    )


def test_a_publish_on_node_a_is_served_by_node_b_and_purged_from_every_cache_at_once(nodes):
    path = _newest_article(nodes)
    for cache in nodes.caches:
        _get(cache + path)
        assert _get(cache + path).headers["X-Cache-Status"] == "HIT"
        assert "Auf Knoten A geändert" not in _get(cache + path).text
    _get(nodes.apps["b"] + path)  # node B has the page in its caches too

    nodes.python(
        "a",
        "import json; from kryptowelt.news.models import ArticlePage; "
        f"page = ArticlePage.objects.get(url_path__endswith={path.split('/')[-2] + '/'!r}); "
        "page.title = 'Auf Knoten A geändert'; page.save_revision().publish(); "
        "print(json.dumps(page.title))",
    )
    # Node B renders the new title at once: the shared Redis generation changed.
    assert "Auf Knoten A geändert" in _get(nodes.apps["b"] + path).text
    # Both caches were purged by a worker (priority 50) within moments; neither serves the
    # old page from its cache.
    for cache in nodes.caches:
        deadline = time.monotonic() + 15
        while "Auf Knoten A geändert" not in _get(cache + path).text:
            assert time.monotonic() < deadline, f"{cache} zeigt noch den alten Titel"
            time.sleep(0.3)
        log = (nodes.base / f"cache-{nodes.caches.index(cache) + 1}" / "access.log").read_text()
        assert f"PURGE /__purge{path} " in log


def test_an_image_uploaded_on_node_a_is_served_on_node_b_from_the_store(nodes):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (30, 90, 200)).save(buffer, "JPEG")
    (nodes.base / "bild.jpg").write_bytes(buffer.getvalue())
    path = _newest_article(nodes)
    nodes.python(
        "a",
        "import json; from django.core.files import File; "
        "from kryptowelt.images.models import CustomImage; "
        "from kryptowelt.news.models import ArticlePage; "
        f"image = CustomImage(title='Blaues Bild', description='Eine blaue Fläche'); "
        f"image.file.save('blau.jpg', File(open({str(nodes.base / 'bild.jpg')!r}, 'rb'))); "
        f"page = ArticlePage.objects.get(url_path__endswith={path.split('/')[-2] + '/'!r}); "
        "page.hero_image = image; page.save_revision().publish(); print(json.dumps(image.pk))",
    )
    html = _get(nodes.apps["b"] + path).text
    sources = set(re.findall(rf"{re.escape(nodes.s3_url)}/{BUCKET}/images/blau[^\"\s,]+", html))
    assert sources, html[:2000]
    for source in sources:
        answer = _get(source)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/")
    # Nothing of it on the nodes' disks.
    assert not list((nodes.base / "node-b").rglob("blau*"))


class _Recorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        with self.server.lock:
            self.server.received.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def test_two_workers_run_every_task_once_and_purges_first(nodes):
    """40 tasks enqueued at once (one transaction), 10 of them purges at priority 50: each
    reaches the recording purge target exactly once, and no purge starts after a task of
    normal priority has started."""
    recorder = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    recorder.received, recorder.lock = [], threading.Lock()
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    target = {
        "probe": {
            "BACKEND": "kryptowelt.caching.purge.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{recorder.server_port}/__purge",
            "HOSTS": ["probe.example"],
        }
    }
    try:
        ids = nodes.python(
            "a",
            "import json; from django.db import transaction; "
            "from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task as t\n"
            "ids = {}\n"
            "with transaction.atomic():\n"
            "    for n in range(30):\n"
            f"        r = t.using(priority=0).enqueue(['http://probe.example/normal-' + str(n)], {target!r})\n"
            "        ids[r.id] = 0\n"
            "    for n in range(10):\n"
            f"        r = t.using(priority=50).enqueue(['http://probe.example/purge-' + str(n)], {target!r})\n"
            "        ids[r.id] = 50\n"
            "print(json.dumps(ids))",
        )
        deadline = time.monotonic() + 60
        while len(recorder.received) < 40 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # a task run twice would arrive now
    finally:
        recorder.shutdown()
        recorder.server_close()
    assert sorted(recorder.received) == sorted(
        [f"/__purge/normal-{n}" for n in range(30)] + [f"/__purge/purge-{n}" for n in range(10)]
    )
    results = nodes.python(
        "a",
        "import json; from django_tasks_db.models import DBTaskResult; "
        f"rows = DBTaskResult.objects.filter(id__in={list(ids)!r}); "
        "print(json.dumps([[str(r.id), r.status, r.worker_ids, r.started_at.isoformat()] "
        "for r in rows]))",
    )
    assert {status for _, status, _, _ in results} == {"SUCCESSFUL"}
    assert all(len(workers) == 1 for _, _, workers, _ in results)
    starts = {id_: dt.datetime.fromisoformat(started) for id_, _, _, started in results}
    last_purge = max(started for id_, started in starts.items() if ids[id_] == 50)
    # At most one task of normal priority may start before the last purge: the other
    # worker's claim at the same instant, while the last purge's row was locked.
    early = [id_ for id_, started in starts.items() if ids[id_] == 0 and started < last_purge]
    assert len(early) <= 1, early
