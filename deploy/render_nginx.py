"""Fill in deploy/nginx.conf for one installation and prepare nginx's folders.

    python3 deploy/render_nginx.py --var-dir var --listen 127.0.0.1:8080 \
        --app 127.0.0.1:8081 --output var/nginx/nginx.conf

No Django needed; `make serve-production` and docs/runbook.md use it."""

import argparse
import re
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"


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
    parser.add_argument("--app", default="127.0.0.1:8081", help="gunicorn: host:port or unix:")
    parser.add_argument("--server-names", default="_")
    parser.add_argument("--media-root", type=Path)
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
    values = {
        **{key: str(path) for key, path in folders.items()},
        "CACHE_PURGE_MODULE": PURGE_MODULE,
        "LISTEN": args.listen,
        "APP_ADDRESS": args.app,
        "SERVER_NAMES": args.server_names,
        "MEDIA_ROOT": str((args.media_root or var_dir / "media").resolve()),
        "FORWARDED_PROTO": args.forwarded_proto,
        "HSTS_SECONDS": args.hsts_seconds,
        "ACCESS_LOG": access_log,
        "VIEWS_LOG": str((args.views_log or var_dir / "log" / "views.log").resolve()),
        "NGINX_USER": args.user,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(values))


if __name__ == "__main__":
    main()
