"""The attachment pass of the import: WordPress media → images (alt text, title, credit)
and documents; one image per attachment, whatever size variants WordPress made, and one
image for a file uploaded twice. Old file addresses (every size variant) redirect to the
imported file, old attachment pages to the post the file belongs to."""

from __future__ import annotations

from pathlib import Path

from wagtail.models import Page

from kryptowelt.wordpress import services
from kryptowelt.wordpress.media import MediaError, file_kind
from kryptowelt.wordpress.wxr import Item


class AttachmentPass:
    """Mixed into ImportRun (importer.py), which provides index, state, report, media,
    mappings, dry_run and _guarded."""

    def _attachment(self, item: Item) -> None:
        attachment = self.index.attachments[item.wp_id]
        label = f"Mediendatei {item.wp_id} „{attachment.title[:60]}“"
        kind = file_kind(attachment.relative)
        if not kind:
            self.report.count("attachment", "skipped")
            self.report.detail(
                "skipped",
                item=label,
                text=f"Dateityp wird nicht übernommen ({attachment.relative})",
            )
            return
        alt = attachment.alt
        if not alt and kind == "image":
            alt = attachment.title or Path(attachment.relative).stem
            self.report.detail(
                "notes", item=label, text="ohne Alternativtext – Titel übernommen, bitte prüfen"
            )
        fingerprint = services.content_hash(
            [attachment.relative, attachment.title, alt, attachment.credit]
        )
        existing = self.mappings.get(("attachment", str(item.wp_id)))
        if existing is not None and (existing.image_id or existing.document_id):
            if self.dry_run:
                same = existing.content_hash == fingerprint
                self.report.count("attachment", "unchanged" if same else "updated")
                return
            self._guarded(
                "attachment",
                label,
                lambda: self._attachment_known(existing, attachment, alt, fingerprint),
            )
            return
        if self.dry_run:
            if self.media.available(attachment):
                self.report.count("attachment", "created")
            else:
                self._media_missing(
                    item.wp_id,
                    label,
                    f"Datei fehlt ({self.media.description}): {attachment.relative}",
                )
            return
        try:
            data, filename = self.media.read(attachment)
        except MediaError as exc:
            self._media_missing(item.wp_id, label, str(exc))
            return

        def write():
            title = attachment.title or filename
            if kind == "image":
                image = services.image_store(
                    data=data, filename=filename, title=title, alt=alt, credit=attachment.credit
                )
                values, url = {"image": image}, image.file.url
            else:
                document = services.document_store(data=data, filename=filename, title=title)
                values, url = {"document": document}, document.url
            paths = self._file_paths(item.wp_id)
            services.mapping_save(
                existing, site=self.index.site_key, kind="attachment", key=str(item.wp_id),
                guid=item.guid, title=attachment.title, content_hash=fingerprint,
                old_paths=paths, **values,
            )  # fmt: skip
            self.report.redirects.update(services.redirects_ensure(paths=paths, link=url))
            self.report.count("attachment", "created")
            return values, url

        written = self._guarded("attachment", label, write)
        if written is not None:
            values, url = written
            if "image" in values:
                self.state.images[item.wp_id] = values["image"].pk
            else:
                self.state.documents[item.wp_id] = values["document"].pk
            self.state.file_urls[item.wp_id] = url

    def _file_paths(self, wp_id: int) -> list[str]:
        """The addresses of the file and of every size variant WordPress made of it."""
        prefix = self.index.uploads_prefix or "/wp-content/uploads/"
        return [f"{prefix}{name}" for name in self.index.files_of(wp_id)]

    def _attachment_known(self, mapping, attachment, alt, fingerprint) -> None:
        wp_id = int(mapping.wp_key)
        url = mapping.image.file.url if mapping.image_id else mapping.document.url
        self.state.file_urls[wp_id] = url
        outcome = "unchanged"
        if mapping.image_id and mapping.content_hash != fingerprint:
            services.image_metadata_update(
                mapping.image,
                title=attachment.title or mapping.image.title,
                alt=alt,
                credit=attachment.credit,
            )
            outcome = "updated"
        if mapping.content_hash != fingerprint:
            mapping.content_hash = fingerprint
            mapping.save(update_fields=["content_hash", "updated_at"])
        paths = self._file_paths(wp_id)
        self.report.redirects.update(
            services.redirects_ensure(paths=paths, link=url, owned=mapping.old_paths)
        )
        self.report.count("attachment", outcome)

    def _media_missing(self, wp_id: int, label: str, reason: str) -> None:
        self.state.missing.add(wp_id)
        self.report.count("attachment", "skipped")
        self.report.detail("media", item=label, text=reason)

    def _attachment_pages(self) -> None:
        """Old attachment pages (and ?attachment_id=) lead to the post the file belongs to
        if it is live, else to the file itself."""
        if self.dry_run:
            return
        live = set(
            Page.objects.filter(pk__in=list(self.state.pages.values()), live=True).values_list(
                "pk", flat=True
            )
        )
        for wp_id, attachment in self.index.attachments.items():
            url = self.state.file_urls.get(wp_id)
            page_pk = self.state.pages.get(attachment.parent)
            page = Page.objects.get(pk=page_pk) if page_pk in live else None
            if page is None and not url:
                continue
            paths = self.index.entries[wp_id].paths
            self.report.redirects.update(
                services.redirects_ensure(
                    paths=paths, page=page, link="" if page else url, owned=paths
                )
            )
