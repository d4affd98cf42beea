"""Fill in deploy/nginx.conf for one installation and prepare nginx's folders.

    python3 deploy/render_nginx.py --var-dir var --listen 127.0.0.1:8080 \
        --app 127.0.0.1:8081 --server-names "127.0.0.1 localhost" --output var/nginx/nginx.conf

Several app nodes behind one upstream: give --app once per node (--app 10.0.0.11:8081
--app 10.0.0.12:8081); app nodes on other machines that purge this cache: --purge-allow.

The host names default to ALLOWED_HOSTS; any other Host gets a 400. The secret of the editor
cookie (kryptowelt/caching/editors.py) is EDITOR_COOKIE_SECRET, or else derived from
SECRET_KEY exactly as the app derives it, so both must be in the environment (or given).
No Django needed; `make serve-production` and docs/runbook.md use it."""

import argparse
import hashlib
import hmac
import ipaddress
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"
# Same label as kryptowelt.caching.editors.DERIVATION_LABEL (a test checks they agree).
EDITOR_SECRET_LABEL = b"kryptowelt.editor-cookie"
HOST_NAME = re.compile(r"^\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")


def editor_secret(environ) -> str:
    if environ.get("EDITOR_COOKIE_SECRET"):
        secret = environ["EDITOR_COOKIE_SECRET"]
        if not re.fullmatch(r"[A-Za-z0-9_.~-]{32,}", secret):
            raise SystemExit(
                "EDITOR_COOKIE_SECRET: mindestens 32 Zeichen aus Buchstaben, Ziffern und -_.~"
            )
        return secret
    if environ.get("SECRET_KEY"):
        key = environ["SECRET_KEY"].encode()
        return hmac.new(key, EDITOR_SECRET_LABEL, hashlib.sha256).hexdigest()
    raise SystemExit(
        "EDITOR_COOKIE_SECRET oder SECRET_KEY fehlt in der Umgebung: nginx muss das "
        "Redaktions-Cookie prüfen können (siehe docs/runbook.md)."
    )


def server_names(value: str) -> str:
    """ALLOWED_HOSTS-style names (comma or space separated) as nginx's server_name list."""
    names = [name for name in re.split(r"[,\s]+", value) if name]
    if not names or any(name in ("*", "_") for name in names):
        raise SystemExit(
            "Bitte die Hostnamen der Website nennen (--server-names oder ALLOWED_HOSTS, "
            "ohne „*“): Anfragen an andere Namen beantwortet nginx mit 400."
        )
    for name in names:
        if not HOST_NAME.match(name):
            raise SystemExit(f"Kein gültiger Hostname für nginx: {name!r}")
    return " ".join(names)


def limit_exempt(value: str) -> str:
    """Addresses or networks never limited, as lines of nginx's geo block."""
    entries = []
    for entry in re.split(r"[,\s]+", value):
        if entry:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise SystemExit(f"Keine gültige Adresse für --limit-exempt: {entry!r}") from None
            entries.append(f"{entry} 1;")
    return " ".join(entries)


def app_servers(addresses: list[str]) -> str:
    """The upstream's server lines, one per app node (host:port or unix:/path)."""
    for address in addresses:
        if not re.fullmatch(r"unix:/[^\s;{}]+|[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}", address):
            raise SystemExit(f"Keine gültige App-Adresse für --app: {address!r}")
    return "\n        ".join(f"server {address};" for address in addresses)


def purge_allow(value: str) -> str:
    """Addresses or networks besides loopback that may send PURGE, as allow lines."""
    entries = []
    for entry in re.split(r"[,\s]+", value):
        if entry:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise SystemExit(f"Keine gültige Adresse für --purge-allow: {entry!r}") from None
            entries.append(f"allow {entry};")
    return " ".join(entries)


def render(values: dict[str, str]) -> str:
    # Comment lines may mention placeholders; only directives are filled in. Without an
    # access log its line goes: `access_log off` would also switch off the view log.
    text = (
        "\n".join(
            line
            for line in TEMPLATE.read_text().splitlines()
            if not line.lstrip().startswith("#")
            and (values.get("ACCESS_LOG") or "@ACCESS_LOG@" not in line)
        )
        + "\n"
    )
    missing = set(re.findall(r"@([A-Z_]+)@", text)) - set(values)
    if missing:
        raise SystemExit(f"Fehlende Werte für nginx.conf: {', '.join(sorted(missing))}")
    return re.sub(r"@([A-Z_]+)@", lambda match: values[match.group(1)], text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var-dir", required=True, type=Path)
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument(
        "--app",
        action="append",
        help="gunicorn: host:port or unix:…; once per app node (Standard: 127.0.0.1:8081)",
    )
    parser.add_argument(
        "--purge-allow",
        default=os.environ.get("NGINX_PURGE_ALLOW", ""),
        help="weitere Adressen/Netze, die PURGE senden dürfen (App-Server auf anderen "
        "Rechnern), durch Kommas getrennt; 127.0.0.1 und ::1 immer",
    )
    parser.add_argument(
        "--server-names",
        default=os.environ.get("ALLOWED_HOSTS", ""),
        help="Hostnamen (Standard: ALLOWED_HOSTS); alle anderen bekommen 400",
    )
    parser.add_argument("--media-root", type=Path)
    parser.add_argument("--static-root", type=Path, help="STATIC_ROOT (Standard: <var>/static)")
    parser.add_argument(
        "--limit-exempt",
        default=os.environ.get("NGINX_LIMIT_EXEMPT", ""),
        help="Adressen/Netze ohne Anfragelimit (z. B. das Monitoring), durch Kommas getrennt",
    )
    parser.add_argument("--forwarded-proto", default="$scheme")
    parser.add_argument("--hsts-seconds", default="31536000")
    parser.add_argument("--access-log", default="", help="file; empty = off")
    parser.add_argument(
        "--views-log", type=Path, help="view log for „Meistgelesen“ (default: var/log/views.log)"
    )
    parser.add_argument("--user", default="www-data", help="user of nginx's worker processes")
    parser.add_argument("--output", required=True, type=Path)
    args = parser.parse_args()

    var_dir = args.var_dir.resolve()
    state = var_dir / "nginx"
    folders = {
        "RUN_DIR": var_dir / "run",
        "LOG_DIR": var_dir / "log",
        "STATE_DIR": state / "tmp",
        "CACHE_DIR": state / "cache",
        "CONF_DIR": state,
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    (state / "conf.d").mkdir(exist_ok=True)
    for name in ("client_body", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"):
        (state / "tmp" / name).mkdir(exist_ok=True)
    access_log = f"{args.access_log} kryptowelt" if args.access_log else ""
    static_root = (args.static_root or var_dir / "static").resolve()
    error_pages = static_root / "fehlerseiten"
    if not (error_pages / "502.html").exists():
        print(
            f"Hinweis: {error_pages} enthält noch keine Fehlerseiten – "
            "`kryptowelt error_pages` schreibt sie.",
            file=sys.stderr,
        )
    values = {
        **{key: str(path) for key, path in folders.items()},
        "CACHE_PURGE_MODULE": PURGE_MODULE,
        "LISTEN": args.listen,
        "APP_SERVERS": app_servers(args.app or ["127.0.0.1:8081"]),
        "PURGE_ALLOW": purge_allow(args.purge_allow),
        "SERVER_NAMES": server_names(args.server_names),
        "ERROR_PAGES_DIR": str(error_pages),
        "LIMIT_EXEMPT": limit_exempt(args.limit_exempt),
        "EDITOR_SECRET": editor_secret(os.environ),
        "MEDIA_ROOT": str((args.media_root or var_dir / "media").resolve()),
        "FORWARDED_PROTO": args.forwarded_proto,
        "HSTS_SECONDS": args.hsts_seconds,
        "ACCESS_LOG": access_log,
        "VIEWS_LOG": str((args.views_log or var_dir / "log" / "views.log").resolve()),
        "NGINX_USER": args.user,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # It holds the editor cookie's secret: readable by its owner only (nginx's master).
    args.output.touch(mode=0o600)
    args.output.chmod(0o600)
    args.output.write_text(render(values))


if __name__ == "__main__":
    main()
