"""Where attachment files come from: a copy of `wp-content/uploads` (`--media-dir`) or the
old site itself (`--fetch-media`).

Downloads go only to the export's own hosts (never to addresses the file merely mentions),
with a timeout, a size limit, a check that the server sends the kind of file the name
promises, and a pause between two requests to the same host, so an old site still online
is not hammered. Tests pass an httpx client with a MockTransport; nothing here reaches the
network by itself."""

from __future__ import annotations

import ipaddress
import mimetypes
import time
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

import httpx

ALLOWED_TYPES = {
    ".jpg": {"image/jpeg", "image/pjpeg"},
    ".jpeg": {"image/jpeg", "image/pjpeg"},
    ".jpe": {"image/jpeg"},
    ".png": {"image/png"},
    ".gif": {"image/gif"},
    ".webp": {"image/webp"},
    ".avif": {"image/avif"},
    ".pdf": {"application/pdf"},
    ".csv": {"text/csv", "text/plain", "application/csv"},
    ".txt": {"text/plain"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif"}


class MediaError(Exception):
    """An attachment's file could not be had; the message is German."""


def file_kind(relative: str) -> str:
    """ "image", "document" or "" (a type we do not take over)."""
    suffix = PurePosixPath(relative.lower()).suffix
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in ALLOWED_TYPES:
        return "document"
    return ""


class NoMedia:
    description = "keine Medienquelle"

    def available(self, attachment) -> bool:
        return False

    def read(self, attachment) -> tuple[bytes, str]:
        raise MediaError("keine Medienquelle angegeben (--media-dir oder --fetch-media)")


class MediaDir:
    """Files from a copy of the uploads folder; the unscaled original when there is one."""

    def __init__(self, root: Path, *, max_bytes: int):
        self.root = Path(root).resolve()
        self.max_bytes = max_bytes
        self.description = f"Ordner {self.root}"

    def _candidates(self, attachment):
        for relative in (attachment.original, attachment.relative):
            if not relative:
                continue
            path = (self.root / relative).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                yield path

    def available(self, attachment) -> bool:
        return next(self._candidates(attachment), None) is not None

    def read(self, attachment) -> tuple[bytes, str]:
        path = next(self._candidates(attachment), None)
        if path is None:
            raise MediaError(
                f"Datei fehlt im Medienordner: {attachment.relative or attachment.url}"
            )
        if path.stat().st_size > self.max_bytes:
            raise MediaError(f"Datei ist größer als {self.max_bytes // 1_000_000} MB: {path.name}")
        return path.read_bytes(), path.name


class MediaFetcher:
    """Files downloaded from the old site."""

    def __init__(
        self,
        *,
        hosts: set[str],
        max_bytes: int,
        timeout: float,
        interval: float,
        client: httpx.Client | None = None,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.hosts = {host.lower() for host in hosts}
        self.max_bytes = max_bytes
        self.interval = interval
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": "Kryptowelt-Import"},
        )
        self._sleep, self._clock = sleep, clock
        self._last: dict[str, float] = {}
        self.description = "Download vom alten Server"

    def available(self, attachment) -> bool:
        return bool(attachment.url)

    def _url(self, attachment) -> str:
        url = attachment.url
        if attachment.original and attachment.relative and url.endswith(quote(attachment.relative)):
            # WordPress scaled the upload down; the unscaled original sits beside it.
            url = url[: len(url) - len(quote(attachment.relative))] + quote(attachment.original)
        return url

    def _check_host(self, url: str) -> str:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in {"http", "https"} or not host:
            raise MediaError(f"keine http(s)-Adresse: {url[:80]}")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None and not address.is_global:
            raise MediaError(f"Adresse im internen Netz wird nicht geladen: {host}")
        if host not in self.hosts:
            raise MediaError(f"Host gehört nicht zur exportierten Website: {host}")
        return host

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.interval - (self._clock() - last)
            if pause > 0:
                self._sleep(pause)
        self._last[host] = self._clock()

    def read(self, attachment) -> tuple[bytes, str]:
        url = self._url(attachment)
        host = self._check_host(url)
        name = PurePosixPath(urlsplit(url).path).name or "datei"
        expected = ALLOWED_TYPES.get(PurePosixPath(name.lower()).suffix)
        if expected is None:
            raise MediaError(f"Dateityp wird nicht übernommen: {name}")
        self._wait(host)
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise MediaError(f"Server antwortet {response.status_code}: {url[:100]}")
                content_type = (
                    response.headers.get("content-type", "").split(";")[0].strip().lower()
                )
                if content_type not in expected:
                    guessed = mimetypes.guess_type(name)[0] or "?"
                    raise MediaError(
                        f"falscher Inhaltstyp „{content_type or 'keiner'}“ statt {guessed}: {name}"
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise MediaError(
                        f"Datei ist größer als {self.max_bytes // 1_000_000} MB: {name}"
                    )
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise MediaError(
                            f"Datei ist größer als {self.max_bytes // 1_000_000} MB: {name}"
                        )
                    chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise MediaError(f"Zeitüberschreitung beim Laden: {url[:100]}") from exc
        except httpx.HTTPError as exc:
            raise MediaError(
                f"Laden fehlgeschlagen ({exc.__class__.__name__}): {url[:100]}"
            ) from exc
        return b"".join(chunks), name
