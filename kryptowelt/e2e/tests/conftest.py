"""The production stack (`make serve-production`) started once for the end-to-end tests, a
headless Debian Chromium driven by Playwright, and a small whole site (`whole_site`) for the
tests that go through Django's test client or live server."""

import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from kryptowelt.comparisons.factories import figure, provider_make
from kryptowelt.glossary.factories import lexicon_index_make, term_make
from kryptowelt.guides.factories import guide_make
from kryptowelt.markets.services.history import coin_history_sync
from kryptowelt.markets.services.sync import coin_markets_sync
from kryptowelt.markets.tests.fakes import make_client, markets_api

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# KW_STACK_STARTUP_SECONDS: more on a machine busy with other work.
STARTUP_SECONDS = int(os.environ.get("KW_STACK_STARTUP_SECONDS", "420"))
# serve-production.sh starts a dead Redis again after this long; the Redis test needs the time
# to see the site without it.
REDIS_RESTART_SECONDS = 20


@dataclass
class Stack:
    base_url: str
    var_dir: Path
    log: Path
    admin_user: str
    admin_password: str
    app_port: int = 8081  # gunicorn, behind nginx
    redis_restart_seconds: float = REDIS_RESTART_SECONDS

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def database_url(self) -> str:
        """The stack's database: the PostgreSQL cluster serve-production.sh started (its URL in
        run/database_url), or the DATABASE_URL it was given (a stack started before this file
        existed: its SQLite database)."""
        written = self.var_dir / "run" / "database_url"
        if os.environ.get("KW_STACK_DATABASE_URL"):
            return os.environ["KW_STACK_DATABASE_URL"]
        if written.exists():
            return written.read_text().strip()
        return f"sqlite:///{self.var_dir / 'kryptowelt.sqlite3'}"

    @property
    def on_postgresql(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    def sql(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one query on the stack's database (placeholders: `?`)."""
        if not self.on_postgresql:
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as connection:
                return connection.execute(sql, params).fetchall()
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()

    def pid(self, name: str) -> int:
        """The process id of a supervised process (worker, scheduler)."""
        return int((self.var_dir / "run" / f"{name}.pid").read_text())

    def kryptowelt(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run `kryptowelt ARGS` against the stack's database and cache; its output. `env`
        adds variables (e.g. FRONTEND_CACHE_PURGE_URL, which the stack's own processes have)."""
        extra = env or {}
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")},
            "DJANGO_SETTINGS_MODULE": "kryptowelt.settings.production",
            "KRYPTOWELT_VAR_DIR": str(self.var_dir),
            "SECRET_KEY": os.environ.get("SECRET_KEY")
            or (self.var_dir / "production_secret_key").read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base_url,
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://{self.var_dir / 'run' / 'redis.sock'}?db=0",
            **extra,
        }
        result = subprocess.run(  # noqa: S603
            [str(Path(settings.BASE_DIR) / ".venv" / "bin" / "kryptowelt"), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the script stops everything it started
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _running_stack() -> Stack | None:
    """KW_STACK_VAR_DIR=var pytest …: reuse a `make serve-production` that is already running
    (while developing the tests); by default every run starts its own."""
    var_dir = os.environ.get("KW_STACK_VAR_DIR")
    if not var_dir:
        return None
    logins = dict(
        line.split(":", 1) for line in (Path(var_dir) / "demo-logins.txt").read_text().split()
    )
    port = os.environ.get("KW_STACK_HTTP_PORT", "8080")
    return Stack(
        f"http://127.0.0.1:{port}",
        Path(var_dir),
        Path("/dev/null"),
        "admin",
        logins["admin"],
        app_port=int(os.environ.get("KW_STACK_APP_PORT", "8081")),
        redis_restart_seconds=float(os.environ.get("REDIS_RESTART_SECONDS", "2")),
    )


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    running = _running_stack()
    if running is not None:
        yield running
        return
    http_port = os.environ.get("KW_STACK_HTTP_PORT", "8080")
    app_port = os.environ.get("KW_STACK_APP_PORT", "8081")
    var_dir = tmp_path_factory.mktemp("stack")
    log = var_dir / "serve-production.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL")
    }
    env.update(
        {
            "KRYPTOWELT_VAR_DIR": str(var_dir),
            "HTTP_PORT": http_port,
            "APP_PORT": app_port,
            "VENV": str(Path(settings.BASE_DIR) / ".venv"),
            "REDIS_RESTART_SECONDS": str(REDIS_RESTART_SECONDS),
            # Its market data are the demo samples of its start, and the demo queues ~1,600
            # tasks a loaded test machine works off slowly: a long session must not turn
            # /readyz red on their age (test_stack_processes.py checks readiness).
            "READY_MARKET_DATA_MAX_AGE": "86400",
            "READY_TASK_MAX_AGE": "86400",
        }
    )
    if os.environ.get("KW_STACK_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["KW_STACK_DATABASE_URL"]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            [str(Path(settings.BASE_DIR) / "deploy" / "serve-production.sh")],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while "läuft auf" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"make serve-production startete nicht:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        match = re.search(
            r"Administrator/in: Benutzername „(\w+)“, Passwort „([^“]+)“", log.read_text()
        )
        assert match, log.read_text()
        yield Stack(
            base_url=f"http://127.0.0.1:{http_port}",
            var_dir=var_dir,
            log=log,
            admin_user=match.group(1),
            admin_password=match.group(2),
            app_port=int(app_port),
        )
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page (own cookies) that records console errors, CSP violations included."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def whole_site(home, article_factory):
    """One page of every kind: an article, coins from recorded CoinGecko answers (with
    Bitcoin's history), two providers, a Lexikon term and a guide; returns the article."""
    article = article_factory(section="neuigkeiten", tags=("Bitcoin",))
    api = markets_api()
    client = make_client(api)
    assert coin_markets_sync(client=client).ok
    coin_history_sync(client=client, coin_ids=["bitcoin"])
    checked = dt.date.today() - dt.timedelta(days=30)
    for name, slug in (("Musterbörse", "musterboerse"), ("Zweitbörse", "zweitboerse")):
        provider_make(name=name, slug=slug, figures=[figure("founded", 2014, checked=checked)])
    lexicon = lexicon_index_make(home=home)
    term_make(index=lexicon, title="Blockchain")
    guide_make(home=home)
    call_command("update_index", verbosity=0)
    return article
