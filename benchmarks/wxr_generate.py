"""Write a synthetic WordPress export (WXR 1.2) of N posts and a matching uploads folder,
for `make bench-import` (python benchmarks/wxr_generate.py OUT.xml UPLOADS_DIR --posts N).

Everything is made up here: German-looking filler text from a fixed word list, 40 small
generated images with WordPress-style size variants, posts in block-editor and classic
markup with headings, lists, quotes, images, shortcodes, internal links (to earlier and
later posts), featured images, Yoast fields and comments; a few drafts, scheduled and
trashed posts. The file is written as a stream, so any N fits in memory."""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = (
    "Bitcoin Kurs Markt Anleger Börse Handel Woche Prozent Euro Dollar Regulierung Aufsicht "
    "Plattform Netzwerk Gebühren Wallet Sicherheit Analyse Entwicklung Nachfrage Angebot "
    "Zinsen Inflation Banken Kunden Daten Bericht Studie Experten Unternehmen Projekt "
    "Blockchain Token Mining Energie Strom Kosten Steuer Gesetz Regierung Europa Deutschland "
    "Österreich Schweiz Verbraucher Risiko Chance Zukunft Technik Forschung Ergebnis Quartal "
    "und der die das mit von für auf im nach bei über unter laut seit sowie jedoch deutlich"
).split()
SITE = "https://www.synth-blog.example"
AUTHORS = [("redaktion", "Redaktion"), ("anna.berg", "Anna Berg"), ("tom.kurz", "Tom Kurz"),
           ("jana.ulm", "Jana Ulm")]  # fmt: skip
CATEGORIES = [("neuigkeiten", "Neuigkeiten", ""), ("politik", "Politik", "neuigkeiten"),
              ("krypto", "Krypto", ""), ("bitcoin", "Bitcoin", "krypto"),
              ("mining", "Mining", "bitcoin"), ("altcoins", "Altcoins", "krypto"),
              ("wirtschaft", "Wirtschaft", ""), ("maerkte", "Märkte", "wirtschaft"),
              ("technik", "Technik", ""), ("ratgeber", "Ratgeber", ""),
              ("meinung", "Meinung", ""), ("allgemein", "Allgemein", "")]  # fmt: skip
TAGS = [f"thema-{number}" for number in range(30)]
IMAGES = 40
FIRST_POST_ID = 1000


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 6)))


def write_images(uploads: Path) -> list[tuple[int, str]]:
    from PIL import Image, ImageDraw

    folder = uploads / "2024" / "05"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number in range(IMAGES):
        name = f"grafik-{number}.png"
        image = Image.new("RGB", (800, 450), (20 + number * 5 % 200, 60, 120))
        ImageDraw.Draw(image).rectangle((40, 40, 300 + number * 10, 300), fill=(240, 180, 50))
        image.save(folder / name)
        image.resize((300, 169)).save(folder / f"grafik-{number}-300x169.png")
        made.append((number + 1, f"2024/05/{name}"))
    return made


def attachment_item(wp_id: int, relative: str) -> str:
    name = relative.rsplit("/", 1)[1]
    stem = name.rsplit(".", 1)[0]
    meta = (
        f'a:4:{{s:5:"width";i:800;s:6:"height";i:450;s:4:"file";s:{len(relative)}:"{relative}";'
        f's:5:"sizes";a:1:{{s:6:"medium";a:3:{{s:4:"file";s:{len(stem) + 12}:"{stem}-300x169.png";'
        's:5:"width";i:300;s:6:"height";i:169;}}}'
    )
    return f"""<item><title>{cdata(f"Grafik {wp_id}")}</title>
<link>{SITE}/{stem}/</link><dc:creator>{cdata("redaktion")}</dc:creator>
<guid isPermaLink="false">{SITE}/wp-content/uploads/{relative}</guid>
<content:encoded>{cdata("")}</content:encoded><excerpt:encoded>{cdata(f"Bildunterschrift {wp_id}")}</excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{cdata("2024-05-01 10:00:00")}</wp:post_date>
<wp:post_date_gmt>{cdata("2024-05-01 08:00:00")}</wp:post_date_gmt><wp:post_name>{cdata(stem)}</wp:post_name>
<wp:status>{cdata("inherit")}</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{cdata("attachment")}</wp:post_type>
<wp:attachment_url>{cdata(f"{SITE}/wp-content/uploads/{relative}")}</wp:attachment_url>
<wp:postmeta><wp:meta_key>{cdata("_wp_attached_file")}</wp:meta_key><wp:meta_value>{cdata(relative)}</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>{cdata("_wp_attachment_metadata")}</wp:meta_key><wp:meta_value>{cdata(meta)}</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>{cdata("_wp_attachment_image_alt")}</wp:meta_key><wp:meta_value>{cdata(f"Diagramm Nummer {wp_id}")}</wp:meta_value></wp:postmeta>
</item>
"""


def post_item(rng: random.Random, number: int, total: int, images) -> str:
    wp_id = FIRST_POST_ID + number
    title = sentence(rng, rng.randint(5, 10)).rstrip(".") + f" ({number})"
    slug = f"beitrag-{number}"
    year, month, day = 2015 + number * 10 // total, 1 + number % 12, 1 + number % 28
    date = f"{year}-{month:02d}-{day:02d} 10:{number % 60:02d}:00"
    date_gmt = f"{year}-{month:02d}-{day:02d} 08:{number % 60:02d}:00"
    roll = rng.random()
    status = (
        "publish"
        if roll < 0.9
        else "draft"
        if roll < 0.95
        else "future"
        if roll < 0.98
        else "trash"
    )
    if status == "future":
        date, date_gmt = "2099-01-01 10:00:00", "2099-01-01 09:00:00"
    link = f"{SITE}/{year}/{month:02d}/{slug}/" if status == "publish" else f"{SITE}/?p={wp_id}"
    image_id, image_path = images[number % len(images)]
    other = FIRST_POST_ID + rng.randrange(total)
    other_link = f"{SITE}/?p={other}"
    parts = []
    gutenberg = number % 3 != 0
    for index in range(rng.randint(4, 8)):
        text = paragraph(rng)
        if index == 1:
            text += f' Mehr dazu <a href="{other_link}">in unserem Bericht</a>.'
        if gutenberg:
            parts.append(
                f"<!-- wp:paragraph -->\n<p>{escape(text) if '<a' not in text else text}</p>\n<!-- /wp:paragraph -->"
            )
        else:
            parts.append(text)
        if index == 2:
            heading = sentence(rng, 3).rstrip(".")
            parts.append(
                f"<!-- wp:heading -->\n<h2>{heading}</h2>\n<!-- /wp:heading -->"
                if gutenberg
                else f"<h2>{heading}</h2>"
            )
            image_url = f"{SITE}/wp-content/uploads/{image_path[:-4]}-300x169.png"
            parts.append(
                f'<!-- wp:image {{"id":{image_id}}} -->\n<figure class="wp-block-image"><img src="{image_url}" alt="" class="wp-image-{image_id}"/><figcaption>Bild {image_id}</figcaption></figure>\n<!-- /wp:image -->'
                if gutenberg
                else f'[caption id="attachment_{image_id}" width="300"]<img class="wp-image-{image_id}" src="{image_url}" alt="" /> Bild {image_id}[/caption]'
            )
        if index == 3:
            items = "".join(f"<li>{sentence(rng, 5)}</li>" for _ in range(3))
            parts.append(
                f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->"
                if gutenberg
                else f"<ul>{items}</ul>"
            )
            if not gutenberg:
                parts.append('[adinserter block="2"]')
    content = "\n\n".join(parts)
    author = AUTHORS[number % len(AUTHORS)][0]
    category = CATEGORIES[number % len(CATEGORIES)][0]
    tags = "".join(
        f'<category domain="post_tag" nicename="{tag}">{cdata(tag.replace("-", " ").title())}</category>'
        for tag in rng.sample(TAGS, 2)
    )
    comments = "".join(
        f"<wp:comment><wp:comment_id>{wp_id * 10 + c}</wp:comment_id><wp:comment_approved>{cdata('1')}</wp:comment_approved>"
        f"<wp:comment_type>{cdata('comment')}</wp:comment_type><wp:comment_content>{cdata(sentence(rng, 8))}</wp:comment_content></wp:comment>"
        for c in range(number % 3)
    )
    return f"""<item><title>{cdata(title)}</title><link>{link}</link>
<dc:creator>{cdata(author)}</dc:creator><guid isPermaLink="false">{SITE}/?p={wp_id}</guid>
<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata("")}</excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{cdata(date)}</wp:post_date><wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
<wp:post_modified>{cdata(date)}</wp:post_modified><wp:post_modified_gmt>{cdata(date_gmt)}</wp:post_modified_gmt>
<wp:post_name>{cdata(slug if status != "trash" else slug + "__trashed")}</wp:post_name><wp:status>{cdata(status)}</wp:status>
<wp:post_parent>0</wp:post_parent><wp:post_type>{cdata("post")}</wp:post_type><wp:post_password>{cdata("")}</wp:post_password>
<wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="{category}">{cdata(category.title())}</category>{tags}
<wp:postmeta><wp:meta_key>{cdata("_thumbnail_id")}</wp:meta_key><wp:meta_value>{cdata(str(image_id))}</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>{cdata("_yoast_wpseo_metadesc")}</wp:meta_key><wp:meta_value>{cdata(sentence(rng, 18))}</wp:meta_value></wp:postmeta>
{comments}</item>
"""


def generate(out: Path, uploads: Path, posts: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    images = write_images(uploads)
    with out.open("w", encoding="utf-8") as handle:
        handle.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            f"<channel><title>Synth-Blog</title><link>{SITE}</link><language>de-DE</language>\n"
            f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>"
            f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        )
        for number, (login, name) in enumerate(AUTHORS, 1):
            handle.write(
                f"<wp:author><wp:author_id>{number}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n"
            )
        for number, (slug, name, parent) in enumerate(CATEGORIES, 1):
            handle.write(
                f"<wp:category><wp:term_id>{number}</wp:term_id><wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for number, slug in enumerate(TAGS, 100):
            handle.write(
                f"<wp:tag><wp:term_id>{number}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(slug.replace('-', ' ').title())}</wp:tag_name></wp:tag>\n"
            )
        for wp_id, relative in images:
            handle.write(attachment_item(wp_id, relative))
        for number in range(posts):
            handle.write(post_item(rng, number, posts, images))
        handle.write("</channel>\n</rss>\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("uploads", type=Path)
    parser.add_argument("--posts", type=int, default=10_000)
    arguments = parser.parse_args()
    generate(arguments.out, arguments.uploads, arguments.posts)
