"""The shipped systemd units (deploy/systemd/): `systemd-analyze verify` accepts each without a
warning, they carry the environment file, hardening and restart policy the runbook promises,
and the commands they run do what their comments say (prune, backup target, health wait).

No running systemd needed: `systemd-analyze verify` only parses the files and checks that the
programs they start exist, so the units are rendered into a temporary folder with the
checkout (and its .venv) in place of /srv/kryptowelt/app."""

import configparser
import os
import shlex
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
APP = "/srv/kryptowelt/app"
SERVICES = [
    "kryptowelt.service",
    "kryptowelt-worker@.service",
    "kryptowelt-sender.service",
    "kryptowelt-scheduler.service",
    "kryptowelt-backup.service",
    "kryptowelt-prune.service",
]
TIMERS = ["kryptowelt-backup.timer", "kryptowelt-prune.timer"]
LONG_RUNNING = [
    "kryptowelt.service",
    "kryptowelt-worker@.service",
    "kryptowelt-sender.service",
    "kryptowelt-scheduler.service",
]


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((UNITS / name).read_text())
    return parser


def _rendered(tmp_path: Path) -> Path:
    """The units with the checkout in place of /srv/kryptowelt/app (so the programs exist)."""
    folder = tmp_path / "units"
    folder.mkdir()
    for source in UNITS.iterdir():
        target = folder / source.name
        target.write_text(source.read_text().replace(APP, str(ROOT)))
        shutil.copymode(source, target)
    # An instance of the template, as `systemctl enable kryptowelt-worker@1` makes one.
    (folder / "kryptowelt-worker@1.service").symlink_to("kryptowelt-worker@.service")
    return folder


def _verify(folder: Path, *names: str) -> subprocess.CompletedProcess:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze fehlt (Debian-Paket systemd; scripts/test.sh installiert es)"
    return subprocess.run(  # noqa: S603
        [analyze, "verify", "--man=no", "--generators=no", *(f"./{n}" for n in names)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_shipped_units_are_the_ones_the_runbook_names():
    assert sorted(p.name for p in UNITS.glob("*.service")) == sorted(SERVICES)
    assert sorted(p.name for p in UNITS.glob("*.timer")) == sorted(TIMERS)
    runbook = (ROOT / "docs" / "runbook.md").read_text()
    for name in [*SERVICES, *TIMERS]:
        assert name in runbook, name
    assert "kryptowelt-worker@{1,2}" in runbook


@pytest.mark.parametrize("name", [*SERVICES, "kryptowelt-worker@1.service", *TIMERS])
def test_systemd_analyze_verify_accepts_each_unit_without_a_warning(tmp_path, name):
    folder = _rendered(tmp_path)
    # A timer is checked together with the service it starts.
    names = [name, name.replace(".timer", ".service")] if name.endswith(".timer") else [name]
    result = _verify(folder, *names)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""


def test_the_verification_would_catch_a_broken_unit(tmp_path):
    """The check above is not empty: a misspelt key and a missing program are reported."""
    folder = _rendered(tmp_path)
    unit = folder / "kryptowelt-scheduler.service"
    unit.write_text(unit.read_text().replace("Restart=always", "Restart=always\nRestartSteps=5"))
    assert "Unknown key 'RestartSteps'" in _verify(folder, unit.name).stderr
    unit.write_text(unit.read_text().replace("bin/kryptowelt scheduler", "bin/kryptowelt-nicht"))
    result = _verify(folder, unit.name)
    assert result.returncode != 0 and "is not executable" in result.stderr


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_reads_the_environment_file_and_is_hardened(name):
    service = _unit(name)["Service"]
    if name != "kryptowelt-prune.service":  # prune runs `find`, not the app
        assert service["EnvironmentFile"] == "/etc/kryptowelt/env"
        assert service["WorkingDirectory"] == APP
    assert service["User"] == "kryptowelt"
    for key, value in {
        "ProtectSystem": "strict",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, (name, key)
    writable = service["ReadWritePaths"].split()
    if name == "kryptowelt-prune.service":
        assert writable == ["/srv/backup/kryptowelt"]
    else:
        assert "/srv/kryptowelt/var" in writable


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_services_are_restarted_forever_and_stop_gracefully(name):
    unit = _unit(name)
    assert unit["Service"]["Restart"] == "always"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Service"]["KillSignal"] == "SIGTERM"
    assert "Requires" not in unit["Unit"] and "BindsTo" not in unit["Unit"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_app_unit_reloads_with_hup_and_waits_for_its_health_check():
    service = _unit("kryptowelt.service")["Service"]
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert service["ExecStart"] == f"{APP}/.venv/bin/gunicorn -c deploy/gunicorn.conf.py"
    assert service["ExecStartPost"].startswith(f"{APP}/deploy/systemd/kryptowelt-wait-healthy ")
    assert service["Type"] == "notify"


def test_the_worker_template_runs_all_queues_but_the_newsletter_sends():
    command = shlex.split(_unit("kryptowelt-worker@.service")["Service"]["ExecStart"])
    assert command[1:6] == ["worker", "--queue-name", "*", "--exclude-queues", "newsletter"]
    assert _unit("kryptowelt-worker@.service")["Service"]["TimeoutStopSec"] == "120"


def test_the_newsletter_sender_runs_its_queue_below_the_readers_priority():
    """Editions go out from their own queue, at a lower CPU and I/O priority than the app
    (which runs at the default, nice 0), so a send never slows readers down."""
    service = _unit("kryptowelt-sender.service")["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[1:4] == ["worker", "--queue-name", "newsletter"]
    assert int(service["Nice"]) >= 10
    assert service["CPUSchedulingPolicy"] == "idle"  # inside its cgroup
    assert service["CPUWeight"] == "idle"  # against the app's cgroup (weight 100)
    assert service["IOSchedulingClass"] == "idle"
    for name in ("kryptowelt.service", "kryptowelt-worker@.service"):
        assert "Nice" not in _unit(name)["Service"]


@pytest.mark.parametrize("name", TIMERS)
def test_timers_run_daily_and_catch_up_after_downtime(name):
    timer = _unit(name)
    assert timer["Timer"]["OnCalendar"].startswith("*-*-* ")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert (UNITS / name.replace(".timer", ".service")).exists()


def _systemd_unescaped(command: str) -> str:
    """What systemd hands to the program: `$$` → `$`, `%%` → `%` (no other specifiers used)."""
    assert "%" not in command.replace("%%", ""), "unerwarteter Platzhalter"
    return command.replace("$$", "$").replace("%%", "%")


def test_the_prune_service_removes_backups_older_than_14_days_only(tmp_path):
    backups = tmp_path / "backup"
    old, recent, other = (
        backups / "kryptowelt-2026-11-01-0315",
        backups / "kryptowelt-new",
        backups / "fremd",
    )
    for folder in (old, recent, other):
        (folder / "media").mkdir(parents=True)
        (folder / "manifest.json").write_text("{}")
    fifteen_days_ago = time.time() - 15 * 86400
    for folder in (old, other):
        os.utime(folder, (fifteen_days_ago, fifteen_days_ago))
    thirteen_days_ago = time.time() - 13 * 86400
    os.utime(recent, (thirteen_days_ago, thirteen_days_ago))
    command = _systemd_unescaped(_unit("kryptowelt-prune.service")["Service"]["ExecStart"])
    argv = [a.replace("/srv/backup/kryptowelt", str(backups)) for a in shlex.split(command)]
    subprocess.run(argv, check=True, timeout=30)  # noqa: S603
    assert sorted(p.name for p in backups.iterdir()) == ["fremd", "kryptowelt-new"]


def test_the_backup_service_writes_a_new_dated_folder_each_run(tmp_path):
    command = _systemd_unescaped(_unit("kryptowelt-backup.service")["Service"]["ExecStart"])
    # The app replaced by a program that prints its arguments.
    command = command.replace(f"{APP}/.venv/bin/kryptowelt", "/bin/echo")
    argv = shlex.split(command)
    assert argv[:2] == ["/bin/sh", "-c"]
    printed = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.split()  # noqa: S603
    assert printed[0] == "backup"
    assert printed[1].startswith(f"/srv/backup/kryptowelt/kryptowelt-{time.strftime('%Y-%m-%d')}-")
    assert (
        "/srv/backup/kryptowelt"
        in _unit("kryptowelt-backup.service")["Service"]["ReadWritePaths"].split()
    )


class _Health(BaseHTTPRequestHandler):
    answers: list[int] = []
    seen: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.seen.append({"path": self.path, **dict(self.headers)})
        status = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Health.seen = []
    yield server
    server.shutdown()
    server.server_close()


def _wait_healthy(server, seconds: int) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "GUNICORN_BIND": f"127.0.0.1:{server.server_address[1]}",
        "ALLOWED_HOSTS": ".kryptowelt.example,www.kryptowelt.example",
    }
    return subprocess.run(  # noqa: S603
        [str(UNITS / "kryptowelt-wait-healthy"), str(seconds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 30,
    )


def test_the_start_waits_until_healthz_answers_200(health_server):
    _Health.answers = [503, 503, 200]
    result = _wait_healthy(health_server, 30)
    assert result.returncode == 0, result.stderr
    assert [seen["path"] for seen in _Health.seen] == ["/healthz"] * 3
    # Asked as nginx would: a host Django accepts, forwarded https (no redirect).
    assert _Health.seen[-1]["Host"] == "kryptowelt.example"
    assert _Health.seen[-1]["X-Forwarded-Proto"] == "https"


def test_the_start_fails_when_healthz_never_answers_200(health_server):
    _Health.answers = [503]
    started = time.monotonic()
    result = _wait_healthy(health_server, 2)
    assert result.returncode == 1
    assert "antwortet nach 2 s nicht mit 200 auf /healthz" in result.stderr
    assert time.monotonic() - started < 15
