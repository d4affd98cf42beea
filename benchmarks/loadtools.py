"""wrk and plain GETs for the load benchmarks (http_load.py, http_edge.py)."""

from __future__ import annotations

import re
import subprocess
import urllib.request


def wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    script: str | None = None,
) -> dict:
    return parse_wrk(
        subprocess.run(  # noqa: S603
            wrk_command(
                url,
                connections=connections,
                seconds=seconds,
                threads=threads,
                headers=headers,
                script=script,
            ),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def wrk_command(url, *, connections, seconds, threads=2, headers=None, script=None) -> list[str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    return [*command, "--latency", url]


def parse_wrk(output: str) -> dict:
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = non_2xx = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        non_2xx = int(match.group(1))
        errors += non_2xx
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(value) for value in match.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": errors,
        "non_2xx": non_2xx,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def get(url: str) -> tuple[dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
        return dict(response.headers), response.read()
