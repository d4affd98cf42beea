"""Coin logos as small local PNGs (no Django): downloaded ones are checked and re-encoded,
missing ones are drawn. Pages only ever show these local files, never a CoinGecko URL."""

from __future__ import annotations

import functools
import hashlib
import io
import math
import warnings

from PIL import Image, ImageDraw, ImageFont

LOGO_SIZE = 64
MAX_SOURCE_PIXELS = 2048 * 2048


class LogoError(ValueError):
    pass


def logo_normalise(data: bytes) -> bytes:
    """Decode a downloaded image (PNG, JPEG, WebP, GIF) and re-encode it as a 64×64 PNG.

    Re-encoding drops whatever else the file carried; anything Pillow cannot decode as a
    raster image (SVG, HTML error pages, truncated files, decompression bombs) is refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in {"PNG", "JPEG", "WEBP", "GIF"}:
                    raise LogoError(f"Bildformat {probe.format} nicht erlaubt")
                if probe.width * probe.height > MAX_SOURCE_PIXELS:
                    raise LogoError("Bild zu groß")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = image.convert("RGBA")
    except LogoError:
        raise
    except Exception as exc:  # Pillow raises many types for broken input
        raise LogoError(f"kein lesbares Bild ({type(exc).__name__})") from exc
    image.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (LOGO_SIZE, LOGO_SIZE), (0, 0, 0, 0))
    canvas.paste(image, ((LOGO_SIZE - image.width) // 2, (LOGO_SIZE - image.height) // 2))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # very old Pillow
        return ImageFont.load_default()


def logo_generate(*, symbol: str, seed: str) -> bytes:
    """A round badge with the coin's symbol, coloured from its id (for demo and offline)."""
    digest = hashlib.sha256(seed.encode()).digest()
    hue = digest[0] / 255
    r, g, b = (int(110 + 90 * math.sin(2 * math.pi * (hue + k / 3))) for k in range(3))
    scale = 2  # draw large, scale down: smooth edges without anti-aliasing support
    size = LOGO_SIZE * scale
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=(r // 2, g // 2, b // 2, 255))
    text = (symbol or seed or "?").upper()[:4]
    font_size = {1: 75, 2: 60, 3: 44, 4: 33}[len(text)]
    draw.text((size / 2, size / 2), text, fill="white", font=_font(font_size), anchor="mm")
    image = image.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
