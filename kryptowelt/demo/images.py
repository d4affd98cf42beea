"""Hero images and portraits drawn locally with Pillow, so the demo needs no downloads.

Each motif is a simple, recognisable illustration (a coin, a chart, a shield, …) on a
gradient; the slug seeds small variations so no two articles look identical."""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 1600, 900

PALETTES = {
    "bitcoin": ("#1b2a41", "#f7931a", "#ffd089"),
    "ethereum": ("#1f1c3f", "#8c8dfc", "#e0e1ff"),
    "chart-up": ("#0b3d2e", "#3ddc97", "#d6ffe9"),
    "chart-down": ("#3d0b12", "#ff6b6b", "#ffe0e0"),
    "regulation": ("#10243e", "#4f8fd6", "#dbe9f9"),
    "wallet": ("#2b1d0e", "#e0a458", "#fff0d6"),
    "security": ("#0e2b2b", "#2ec4b6", "#d5fbf7"),
    "tax": ("#2d2d2d", "#c9c9c9", "#ffffff"),
    "exchange": ("#13294b", "#f2b233", "#fff3d1"),
    "blockchain": ("#0f1f33", "#5ab0ff", "#e1f1ff"),
    "ai": ("#1b1035", "#c77dff", "#f1e3ff"),
    "stablecoin": ("#0b3b3b", "#26a17b", "#dcf7ee"),
    "mining": ("#261a0f", "#ff9f1c", "#ffe8c7"),
    "savings": ("#0f2e1d", "#7bd389", "#e6f9e9"),
    "education": ("#0b3d6e", "#f2b233", "#fff4d6"),
    "defi": ("#2a0f2e", "#ff66c4", "#ffe1f3"),
}

ALT_TEXTS = {
    "bitcoin": "Illustration: eine stilisierte Bitcoin-Münze vor dunklem Hintergrund",
    "ethereum": "Illustration: das Rautensymbol von Ethereum vor violettem Hintergrund",
    "chart-up": "Illustration: ein steigender Kursverlauf auf grünem Hintergrund",
    "chart-down": "Illustration: ein fallender Kursverlauf auf rotem Hintergrund",
    "regulation": "Illustration: ein Gebäude mit Säulen als Symbol für Behörden und Regulierung",
    "wallet": "Illustration: eine stilisierte Geldbörse als Symbol für eine Krypto-Wallet",
    "security": "Illustration: ein Schild mit Schloss als Symbol für Sicherheit",
    "tax": "Illustration: ein Formular mit Rechenzeichen als Symbol für Steuern",
    "exchange": "Illustration: zwei gegenläufige Pfeile als Symbol für eine Handelsplattform",
    "blockchain": "Illustration: verkettete Blöcke als Symbol für eine Blockchain",
    "ai": "Illustration: ein stilisiertes neuronales Netz als Symbol für Künstliche Intelligenz",
    "stablecoin": "Illustration: eine Münze mit Gleichheitszeichen als Symbol für Stablecoins",
    "mining": "Illustration: eine Spitzhacke über Blöcken als Symbol für Mining",
    "savings": "Illustration: wachsende Säulen als Symbol für einen Sparplan",
    "education": "Illustration: ein aufgeschlagenes Buch als Symbol für Wissen",
    "defi": "Illustration: verbundene Knoten als Symbol für dezentrale Finanzanwendungen",
}

CREDIT = "Grafik: Kryptowelt (generiert)"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    base = Image.new("RGB", (1, height))
    top_rgb, bottom_rgb = _rgb(top), _rgb(bottom)
    for y in range(height):
        t = y / max(height - 1, 1)
        base.putpixel(
            (0, y), tuple(int(top_rgb[i] + (bottom_rgb[i] - top_rgb[i]) * t) for i in range(3))
        )
    return base.resize((width, height))


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # very old Pillow
        return ImageFont.load_default()


def _chart(draw, rng, colour, up: bool):
    points, value = [], 0.2
    for i in range(24):
        value = min(0.95, max(0.05, value + 0.03 + rng.uniform(-0.05, 0.05)))
        points.append((180 + i * 55, 800 - value * 640))
    if not up:  # mirror vertically: the same walk, falling
        points = [(x, 900 - y) for x, y in points]
    draw.line(points, fill=colour, width=14, joint="curve")
    for x, y in points[::4]:
        draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=colour)


def _coin(draw, colour, light, symbol: str):
    cx, cy, r = 800, 450, 270
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    draw.ellipse([cx - r + 30, cy - r + 30, cx + r - 30, cy + r - 30], outline=light, width=12)
    font = _font(300)
    draw.text((cx, cy), symbol, fill=light, font=font, anchor="mm")


def _motif(draw, motif, rng, accent, light):
    if motif in {"bitcoin", "mining"}:
        _coin(draw, accent, light, "B")
        if motif == "mining":
            draw.line([(1150, 200), (1400, 450)], fill=light, width=26)
            draw.arc([1050, 120, 1350, 420], 200, 340, fill=light, width=26)
    elif motif == "stablecoin":
        _coin(draw, accent, light, "=")
    elif motif == "ethereum":
        top, mid, bottom = (800, 130), (800, 470), (800, 780)
        draw.polygon([top, (590, 470), mid], fill=light)
        draw.polygon([top, (1010, 470), mid], fill=accent)
        draw.polygon([(590, 520), (800, 640), bottom], fill=accent)
        draw.polygon([(1010, 520), (800, 640), bottom], fill=light)
    elif motif in {"chart-up", "chart-down", "savings"}:
        if motif == "savings":
            for i, height in enumerate([140, 220, 300, 390, 480, 580]):
                x = 300 + i * 170
                draw.rounded_rectangle([x, 780 - height, x + 120, 780], radius=16, fill=accent)
        else:
            _chart(draw, rng, accent, up=motif == "chart-up")
    elif motif == "regulation":  # a public building: pediment, columns, steps
        draw.polygon([(480, 300), (800, 140), (1120, 300)], fill=accent)
        for i in range(5):
            x = 530 + i * 125
            draw.rectangle([x, 330, x + 60, 660], fill=light)
        draw.rectangle([460, 680, 1140, 720], fill=accent)
        draw.rectangle([420, 730, 1180, 770], fill=accent)
    elif motif == "wallet":
        draw.rounded_rectangle([450, 250, 1150, 700], radius=50, fill=accent)
        draw.rounded_rectangle([900, 400, 1200, 560], radius=30, fill=light)
        draw.ellipse([960, 450, 1020, 510], fill=accent)
    elif motif == "security":
        draw.polygon(
            [(800, 150), (1080, 260), (1040, 560), (800, 760), (560, 560), (520, 260)], fill=accent
        )
        draw.rounded_rectangle([700, 420, 900, 600], radius=20, fill=light)
        draw.arc([720, 320, 880, 480], 180, 360, fill=light, width=26)
    elif motif == "tax":
        draw.rounded_rectangle([560, 140, 1040, 780], radius=30, fill=light)
        for i in range(6):
            draw.line([(630, 240 + i * 80), (970, 240 + i * 80)], fill=accent, width=16)
        draw.text((1150, 620), "%", fill=accent, font=_font(300), anchor="mm")
    elif motif == "exchange":
        draw.line([(400, 360), (1200, 360)], fill=accent, width=40)
        draw.polygon([(1200, 280), (1320, 360), (1200, 440)], fill=accent)
        draw.line([(400, 560), (1200, 560)], fill=light, width=40)
        draw.polygon([(400, 480), (280, 560), (400, 640)], fill=light)
    elif motif in {"blockchain", "defi", "ai"}:
        nodes = [(rng.randint(250, 1350), rng.randint(150, 750)) for _ in range(9)]
        if motif == "blockchain":
            nodes = [(260 + i * 220, 450 + (60 if i % 2 else -60)) for i in range(6)]
        for a, b in zip(nodes, nodes[1:], strict=False):
            draw.line([a, b], fill=light, width=14)
        for x, y in nodes:
            if motif == "blockchain":
                draw.rounded_rectangle([x - 80, y - 80, x + 80, y + 80], radius=18, fill=accent)
            else:
                draw.ellipse([x - 50, y - 50, x + 50, y + 50], fill=accent)
    else:  # education and fallback
        draw.polygon([(400, 260), (800, 330), (800, 760), (400, 690)], fill=light)
        draw.polygon([(1200, 260), (800, 330), (800, 760), (1200, 690)], fill=accent)


def hero_image_bytes(motif: str, seed: str) -> bytes:
    motif = motif if motif in PALETTES else "education"
    dark, accent, light = PALETTES[motif]
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16))  # noqa: S311
    image = _gradient((WIDTH, HEIGHT), dark, "#000000")
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    glow = ImageDraw.Draw(overlay)
    for _ in range(6):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(120, 380)
        glow.ellipse([x - r, y - r, x + r, y + r], fill=(*_rgb(accent), 38))
    overlay = overlay.filter(ImageFilter.GaussianBlur(60))
    image = Image.alpha_composite(image.convert("RGBA"), overlay)
    draw = ImageDraw.Draw(image)
    for i in range(0, WIDTH, 80):
        draw.line([(i, 0), (i, HEIGHT)], fill=(*_rgb(light), 12), width=1)
    _motif(draw, motif, rng, accent, light)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def portrait_bytes(name: str) -> bytes:
    """A round initials avatar; the demo authors are fictional and have no photos."""
    digest = hashlib.sha256(name.encode()).digest()
    hue = digest[0] / 255
    r, g, b = (int(127 + 80 * math.sin(2 * math.pi * (hue + k / 3))) for k in range(3))
    image = Image.new("RGB", (400, 400), (r // 2, g // 2, b // 2))
    draw = ImageDraw.Draw(image)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw.text((200, 200), initials, fill="white", font=_font(170), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
