"""Child process of benchmarks/wordpress_import.py (one import per process, so that its
peak memory is its own). Prints one JSON line.

    wordpress_child.py setup
    wordpress_child.py import EXPORT UPLOADS [--verify expected-a.json]"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.contrib.redirects.models import Redirect  # noqa: E402
from wagtail.documents import get_document_model  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision  # noqa: E402

from kryptowelt.core.text import stream_plain_text  # noqa: E402
from kryptowelt.home.factories import site_create  # noqa: E402
from kryptowelt.news.models import Author, Topic  # noqa: E402
from kryptowelt.wordpress.importer import ImportOptions, wordpress_import  # noqa: E402
from kryptowelt.wordpress.index import build_index  # noqa: E402
from kryptowelt.wordpress.models import WordPressObject  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
BERLIN = ZoneInfo("Europe/Berlin")
_SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup() -> dict:
    call_command("migrate", verbosity=0)
    site_create()
    return {"ok": True}


def db_counts() -> dict:
    return {
        "Seiten": Page.objects.count(),
        "Revisionen": Revision.objects.count(),
        "letzte Revision": Revision.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "Protokoll": PageLogEntry.objects.count(),
        "Weiterleitungen": Redirect.objects.count(),
        "Bilder": get_image_model().objects.count(),
        "Dokumente": get_document_model().objects.count(),
        "Autoren": Author.objects.count(),
        "Themen": Topic.objects.count(),
        "Zuordnungen": WordPressObject.objects.count(),
        "Zugriffsbeschränkungen": PageViewRestriction.objects.count(),
    }


def run_import(export: Path, uploads: Path) -> tuple[object, dict]:
    samples: list[float] = []
    last = [0.0]

    def progress(stage, done, total):
        if total and (done / total - last[0] >= 0.1 or done == total):
            last[0] = done / total
            samples.append(rss_mb())

    started, cpu = time.monotonic(), time.process_time()
    report = wordpress_import(ImportOptions(path=export, media_dir=uploads), progress=progress)
    figures = {
        "seconds": time.monotonic() - started,
        "cpu_seconds": time.process_time() - cpu,
        "posts": sum(report.counts.get("post", {}).values()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_samples_mb": samples,
    }
    return report, figures


# --- the check against expected-a.json ----------------------------------------------------
class Check:
    def __init__(self):
        self.lines: list[str] = []
        self.ok = True

    def equal(self, what: str, found, wanted) -> None:
        good = found == wanted
        self.ok &= good
        self.lines.append(f"{'ok  ' if good else 'FEHLER'} {what}: {found} (erwartet {wanted})")

    def true(self, what: str, good: bool, detail: str = "") -> None:
        self.ok &= good
        self.lines.append(f"{'ok  ' if good else 'FEHLER'} {what}{': ' + detail if detail else ''}")


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\xa0", " ")).strip()


def verify(expected: dict, report, index) -> Check:
    check = Check()
    site = index.site_key
    mappings = WordPressObject.objects.filter(site=site)
    posts = [m for m in mappings.filter(kind="post").select_related("page") if m.page]
    live = [m for m in posts if m.page.live]
    scheduled = [m for m in posts if not m.page.live and m.page.go_live_at]
    summary = expected["summary"]
    check.equal("veröffentlichte Beiträge (live)", len(live), summary["published_posts"])
    check.equal("geplante Beiträge", len(scheduled), summary["scheduled"])
    check.equal(
        "Entwürfe (Entwurf, zur Prüfung, privat)",
        len(posts) - len(live) - len(scheduled),
        summary["drafts"] + summary["pending"] + summary["private"],
    )
    check.equal("Papierkorb übersprungen", report.counts["post"]["skipped"], summary["trashed"])
    pages = [m for m in mappings.filter(kind="page").select_related("page") if m.page]
    check.equal("Seiten", len(pages), summary["pages"])
    check.equal("davon live", sum(m.page.live for m in pages), expected["pages"]["published"])
    check.equal(
        "Mediendateien übernommen",
        mappings.filter(kind="attachment").exclude(image=None, document=None).count(),
        summary["attachments_with_file"],
    )
    missing = sorted(int(e["item"].split()[1]) for e in report.details.get("media", []))
    check.equal(
        "fehlende Mediendateien (IDs)",
        missing,
        sorted(e["post_id"] for e in expected["attachments"]["files_missing"]),
    )
    check.equal("Kategorien", mappings.filter(kind="category").count(), summary["categories"])
    check.equal("Schlagwörter", mappings.filter(kind="tag").count(), summary["tags"])
    check.equal("Autor/innen", mappings.filter(kind="author").count(), summary["authors"])
    check.equal(
        "freigegebene Kommentare", report.comments["approved"], summary["comments_approved"]
    )
    trash_links = expected["internal_links"]["by_status_of_linking_item"].get("trash", 0)
    check.equal(
        "interne Links (ohne die in Papierkorb-Beiträgen)",
        report.links["internal"],
        summary["internal_links"] - trash_links,
    )
    check.equal(
        "Links auf nicht übernommene Beiträge",
        report.links["unpublished"],
        len(expected["internal_links"]["to_unpublished_items"]),
    )
    unresolved = [entry["href"] for entry in expected["internal_links"]["unresolved"]]
    found = " ".join(entry["text"] for entry in report.details.get("links", []))
    check.true("unauflösbare Links gemeldet", all(href in found for href in unresolved))
    wanted_shortcodes = {
        name: number
        for name, number in expected["shortcodes"].items()
        if name not in {"caption", "gallery", "embed"}
    }
    check.equal("entfernte Shortcodes", dict(report.shortcodes), wanted_shortcodes)
    _verify_unsafe(check, expected, report, mappings)
    _verify_samples(check, expected, index, mappings)
    _verify_old_urls(check, index, mappings)
    return check


def _verify_unsafe(check, expected, report, mappings) -> None:
    removed_items = {int(entry["item"].split()[1]) for entry in report.details.get("removed", [])}
    embedded = {
        int(m.wp_key)
        for m in mappings.filter(kind="post").select_related("page")
        if m.page and any(b.block_type == "embed" for b in m.page.specific.body)
    }
    unsafe = {wp_id for ids in expected["unsafe_markup_item_ids"].values() for wp_id in ids}
    neutralised = unsafe & (removed_items | embedded)
    check.equal("Beiträge mit gefährlichem Markup behandelt", len(neutralised), len(unsafe))
    client, bad = Client(), []
    live_pages = [
        m.page
        for m in mappings.filter(kind__in=["post", "page"]).select_related("page")
        if m.page and m.page.live
    ]
    for page in live_pages:
        html = client.get(page.url).content.decode()
        scripts = [
            tag
            for tag in _SCRIPT.findall(html)
            if 'src="/static/' not in tag and "application/ld+json" not in tag
        ]
        if scripts or _HANDLER.search(html) or "javascript:" in html.lower():
            bad.append(page.url)
    check.true(
        f"keine Skripte, Ereignis-Attribute oder javascript:-Links ({len(live_pages)} Seiten geprüft)",
        not bad,
        ", ".join(bad[:5]),
    )


def _verify_samples(check, expected, index, mappings) -> None:
    client = Client()
    authors = {entry["login"]: entry["display_name"] for entry in expected["author_list"]}
    for sample in expected["samples"]:
        mapping = mappings.filter(kind="post", wp_key=str(sample["post_id"])).first()
        page = mapping.page.specific if mapping and mapping.page else None
        problems = []
        if page is None:
            check.true(f"Beispiel {sample['post_id']}", False, "nicht importiert")
            continue
        response = client.get(urlsplit(sample["old_url"]).path)
        if response.status_code != 301 or response["Location"] != page.url:
            problems.append(f"alte Adresse → {response.status_code}")
        elif client.get(response["Location"]).status_code != 200:
            problems.append("Ziel antwortet nicht mit 200")
        if page.title != sample["title"]:
            problems.append(f"Titel „{page.title}“")
        if (
            page.first_published_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S")
            != sample["date"]
        ):
            problems.append(f"Datum {page.first_published_at}")
        if [author.name for author in page.authors] != [authors[sample["author_login"]]]:
            problems.append("Autor/in")
        body = _text(stream_plain_text(page.body))
        shown = _text(f"{page.teaser} {body}")
        start = _text(sample["text_start_80"])
        if not (body.startswith(start) or shown.startswith(start)):
            problems.append(f"Textanfang „{shown[:80]}“")
        topics = {tag.name for tag in page.tags.all()}
        if not set(sample["categories"]) | set(sample["tags"]) <= topics:
            problems.append(f"Themen {sorted(topics)}")
        hero_sources = {
            index.attachments[int(m.wp_key)].url
            for m in mappings.filter(kind="attachment", image_id=page.hero_image_id)
        }
        if sample["featured_image_url"] not in hero_sources:
            problems.append("Beitragsbild")
        check.true(
            f"Beispiel {sample['post_id']} ({sample['editor']})", not problems, "; ".join(problems)
        )


def _verify_old_urls(check, index, mappings) -> None:
    client = Client()
    targets = {
        int(m.wp_key): m.page
        for m in mappings.filter(kind__in=["post", "page"]).select_related("page")
        if m.page
    }
    checked, bad, same = 0, [], 0
    home = Page.objects.filter(depth=2).first()
    base = home.url_path.rstrip("/") if home else ""

    def is_page(path: str) -> bool:
        """Whether the old path is itself a live page here (an imported page that kept its
        address, or the site's own page such as /impressum/)."""
        return Page.objects.live().filter(url_path=base + path.split("?")[0]).exists()

    for wp_id, entry in index.entries.items():
        if entry.post_type == "attachment" or wp_id not in targets:
            continue
        page = targets[wp_id]
        public = page.live
        for path in entry.paths:
            checked += 1
            response = client.get(path)
            if public and response.status_code == 200 and is_page(path):
                same += 1
                continue
            if public:
                good = response.status_code == 301 and response["Location"] == page.url
            else:
                good = response.status_code == 404 or (
                    response.status_code == 200 and "?" in path  # /?p= of a draft: the home page
                )
            if not good:
                bad.append(f"{path} → {response.status_code}")
    for mapping in mappings.filter(kind__in=["category", "tag", "author", "attachment"]):
        for path in mapping.old_paths:
            checked += 1
            response = client.get(path)
            if response.status_code != 301 or client.get(response["Location"]).status_code != 200:
                bad.append(f"{path} → {response.status_code}")
    check.true(
        f"alte Adressen: {checked} geprüft (301 auf eine live Seite, 404 wenn nicht öffentlich; "
        f"{same} sind hier selbst eine Seite)",
        not bad,
        ", ".join(bad[:8]),
    )


def main() -> None:
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
        return
    export, uploads = Path(sys.argv[2]), Path(sys.argv[3])
    report, figures = run_import(export, uploads)
    if "--verify" in sys.argv:
        expected = json.loads(Path(sys.argv[sys.argv.index("--verify") + 1]).read_text("utf-8"))
        index = build_index(export)
        check = verify(expected, report, index)
        figures["check"] = {"ok": check.ok, "lines": check.lines}
        before = db_counts()
        second, second_figures = run_import(export, uploads)
        after = db_counts()
        changed = {
            name: [before[name], after[name]] for name in before if before[name] != after[name]
        }
        written = second.total("created") + second.total("updated")
        if written:
            changed["geschrieben"] = written
        figures["second_run"] = {"seconds": second_figures["seconds"], "changed": changed}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
