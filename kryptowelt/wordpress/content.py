"""The posts-and-pages pass of the import: each item converted (shortcodes, blocks, HTML →
StreamField), planned (status, dates, lead, authors, topics, hero image, SEO texts) and
written as an article in its section or a standard page below its parent page."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from kryptowelt.wordpress import items as rules
from kryptowelt.wordpress import services
from kryptowelt.wordpress.convert import Converter
from kryptowelt.wordpress.markup import to_html
from kryptowelt.wordpress.shortcodes import expand_shortcodes
from kryptowelt.wordpress.wxr import Item

# A WordPress modification this long after publication shows as "Aktualisiert" (an edit
# minutes later, or a plugin touching every post, is not an update readers need to see).
UPDATE_SHOWN_AFTER = dt.timedelta(hours=24)
EMPTY_BODY = "<p>(Dieser Eintrag hatte in WordPress keinen Text.)</p>"


class ContentPass:
    """Mixed into ImportRun (importer.py)."""

    def _content_or_defer(self, item: Item) -> None:
        parent = self.index.entries.get(item.parent) if item.post_type == "page" else None
        if (
            not self.dry_run
            and parent is not None
            and parent.post_type == "page"
            and self._will_import(parent.wp_id)
            and parent.wp_id not in self.state.pages
        ):
            self.deferred.add(item.wp_id)  # its parent page comes later in the file
            return
        self._content(item)

    def _deferred_pages(self) -> None:
        while self.deferred:
            ready = {
                wp_id
                for wp_id in self.deferred
                if self.index.entries[wp_id].parent in self.state.pages
            }
            if not ready:
                ready = set(self.deferred)  # the parents failed: below the home page instead
            self.deferred -= ready
            self._each_item({"page"}, self._content, "Seiten", only=ready, count=False)

    def _relink_pass(self) -> None:
        if self.relink:
            wanted, self.relink = set(self.relink), set()
            self.total += len(wanted)
            handle = lambda item: self._content(item, relinking=True)  # noqa: E731
            self._each_item({"post", "page"}, handle, "Interne Links", only=wanted)

    # --- one item ----------------------------------------------------------------------
    def _content(self, item: Item, relinking: bool = False) -> None:
        kind = item.post_type
        published_at = rules.parse_date(item.post_date_gmt, item.post_date)
        mode, status_note = rules.status_mode(item, published_at)
        title, title_note = rules.clean_title(item)
        label = f"{'Beitrag' if kind == 'post' else 'Seite'} {item.wp_id} „{title[:60]}“"
        if mode is None:
            if not relinking:
                self.report.count(kind, "skipped")
                self.report.detail("skipped", item=label, text=status_note)
            return
        plan, findings, unknown = self._plan(item, kind, mode, title, published_at)
        if not relinking:
            self._record(label, findings, unknown, [status_note, title_note], item)
        if self.dry_run:
            existing = self.mappings.get((kind, str(item.wp_id)))
            outcome = "created"
            if existing is not None and existing.page_id:
                outcome = "unchanged" if existing.content_hash == plan.fingerprint() else "updated"
            self.report.count(kind, outcome)
            if mode == "live":
                self._redirects_dry(self.index.entries[item.wp_id].paths)
            return
        written = self._guarded(
            kind, label, lambda: self._write(item, kind, plan, label, relinking)
        )
        if written is not None:
            self.state.pages[item.wp_id] = written.pk
            if self.resolver.pending and not relinking:
                self.relink.add(item.wp_id)

    def _plan(self, item, kind, mode, title, published_at):
        self.resolver.begin()
        self._pending_notes = []
        shortcodes = expand_shortcodes(
            item.content, gallery_ids_for_parent=lambda: self.index.attached.get(item.wp_id, [])
        )
        markup = to_html(shortcodes.html, reusable=self.index.reusable)
        conversion = Converter(resolver=self.resolver, id_seed=f"{kind}:{item.wp_id}").convert(
            markup.html
        )
        self._block_types = markup.block_types
        findings = list(conversion.findings)
        findings += [
            ("Wiederverwendbarer Block fehlt", f"Block {ref}") for ref in markup.missing_reusable
        ]
        teaser, body, _ = rules.lead_and_body(item.excerpt, conversion.blocks, title)
        if not body and kind == "post":
            body = [{"type": "paragraph", "value": EMPTY_BODY, "id": f"{kind}-{item.wp_id}-leer"}]
        modified_at = rules.parse_date(item.modified_gmt, item.modified)
        updated_at = None
        if (
            mode == "live"
            and modified_at
            and published_at
            and modified_at - published_at > UPDATE_SHOWN_AFTER
        ):
            updated_at = modified_at
        seo_title, description = rules.seo_texts(item, title)
        social = rules.seo_image_id(item)
        hero_id, hero_caption = self._hero(item)
        if kind == "post":
            categories = rules.categories_in_order(item, self.index)
            parent = self.sections[self.chooser.for_categories(categories)]
            topics = [
                self.topics[("category", slug)]
                for slug in categories
                if ("category", slug) in self.topics
            ]
            topics += [
                self.topics[("tag", slug)]
                for slug, _ in item.terms_of("post_tag")
                if ("tag", slug) in self.topics
            ]
            authors = [author for author in [self._author_for(item.creator)] if author is not None]
        else:
            parent_pk = self.state.pages.get(item.parent)
            parent = Page.objects.get(pk=parent_pk).specific if parent_pk else self.home
            topics, authors = [], []
        plan = services.PagePlan(
            kind=kind, title=title, slug=rules.slug_for(item, title), parent=parent, body=body,
            mode=mode, published_at=published_at, modified_at=modified_at, updated_at=updated_at,
            teaser=teaser, authors=authors, topics=list(dict.fromkeys(topics)),
            hero_image_id=hero_id, hero_caption=hero_caption,
            social_image_id=self.state.images.get(social) if social else None,
            seo_title=seo_title, search_description=description,
            password=item.password if item.status == "publish" else "",
        )  # fmt: skip
        return plan, findings, shortcodes.unknown

    def _hero(self, item: Item) -> tuple[int | None, str]:
        thumbnail = item.meta_get("_thumbnail_id").strip()
        if not thumbnail.isdigit():
            return None, ""
        wp_id = int(thumbnail)
        attachment = self.index.attachments.get(wp_id)
        pk = self.state.images.get(wp_id)
        if pk is None:
            missing = attachment.relative if attachment else f"Anhang {wp_id}"
            self._pending_notes.append(
                f"Beitragsbild fehlt ({missing}) – ohne Aufmacherbild importiert"
            )
            return None, ""
        return pk, (attachment.caption if attachment else "")[:300]

    def _record(self, label, findings, unknown, notes, item) -> None:
        report = self.report
        report.block_types.update(self._block_types)
        for what, detail in findings:
            report.removed[what] += 1
            report.detail("removed", item=label, text=f"{what}: {detail}")
        for name, number in unknown.items():
            report.shortcodes[name] += number
            report.detail("shortcodes", item=label, text=f"[{name}] entfernt ({number}×)")
        counts = self.resolver.counts
        for name in ("internal", "rewritten", "unresolved", "unpublished"):
            report.links[name] += counts[name]
        for problem in self.resolver.problems:
            report.detail("links", item=label, text=problem)
        if item.sticky:
            notes.append("in WordPress oben angeheftet („sticky“) – als Aufmacher prüfen")
        notes += self._pending_notes
        self._pending_notes = []
        for note in notes:
            if note:
                report.detail("notes", item=label, text=note)

    def _write(self, item: Item, kind: str, plan, label: str, relinking: bool):
        entry = self.index.entries[item.wp_id]
        key = str(item.wp_id)
        mapping = self.mappings.get((kind, key)) or services.mapping_find(
            site=self.index.site_key, kind=kind, key=key, guid=item.guid
        )
        page = (
            Page.objects.filter(pk=mapping.page_id).first() if mapping and mapping.page_id else None
        )
        fingerprint = plan.fingerprint()
        if page is not None and mapping.content_hash == fingerprint:
            outcome = "unchanged"
        elif page is not None and services.page_edited_since(page, mapping):
            outcome = "skipped"
            self.report.detail(
                "notes",
                item=label,
                text="seit dem Import in Kryptowelt bearbeitet – nicht überschrieben",
            )
        elif page is not None:
            page = services.page_update(page, plan, user=self.options.user)
            outcome = "updated"
        else:
            page = services.page_create(plan, user=self.options.user)
            outcome = "created"
        if outcome in {"created", "updated"}:
            mapping = services.mapping_save(
                mapping, site=self.index.site_key, kind=kind, key=key, guid=item.guid,
                title=plan.title, page=page, content_hash=fingerprint,
                revision_id=Page.objects.filter(pk=page.pk).values_list("latest_revision_id", flat=True)[0],
                old_paths=entry.paths,
            )  # fmt: skip
        redirects = {}
        if Page.objects.filter(pk=page.pk, live=True).exists():
            redirects = services.redirects_ensure(
                paths=entry.paths, page=page, owned=mapping.old_paths
            )
        # Counted and remembered only once everything of the item is written: a failure
        # above rolls the item back, and it is then counted as failed alone.
        self.mappings[(kind, key)] = mapping
        self.report.redirects.update(redirects)
        if not relinking:
            self.report.count(kind, outcome)
        return page

    def _redirects_dry(self, paths: list[str]) -> None:
        normalised = {Redirect.normalise_path(path) for path in paths}
        known = Redirect.objects.filter(Q(site=None), old_path__in=list(normalised)).count()
        self.report.redirects["created"] += len(normalised) - known
        self.report.redirects["unchanged"] += known
