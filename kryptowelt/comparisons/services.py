"""Writes: providers from providers.toml, snapshots of ESMA's MiCA register, editor groups.

Every import validates the whole file first and writes in one transaction: a file with a
bad row changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from kryptowelt.caching.scopes import Scope, changed
from kryptowelt.comparisons import mica_register
from kryptowelt.comparisons.models import (
    MicaRegisterEntry,
    MicaRegisterImport,
    Provider,
    ProviderFigure,
)
from kryptowelt.comparisons.provider_file import CONTENT_FILE, ProviderSpec, provider_specs_read
from kryptowelt.comparisons.register_selectors import register_snapshot

# Figure fields compared when deciding whether the file differs from a provider.
FIGURE_FIELDS = (
    "key",
    "coin",
    "number",
    "number_eur",
    "flag",
    "text",
    "source",
    "checked",
    "effective",
    "note",
    "basis",
    "recheck",
    "unpublished",
)


def _provider_from_spec(spec: ProviderSpec) -> Provider:
    provider = Provider(**spec.fields)
    for position, data in enumerate(spec.figures):
        provider.figures.add(ProviderFigure(sort_order=position, **data))
    return provider


def providers_import(*, path: Path = CONTENT_FILE) -> tuple[int, int]:
    """Creates the providers of the file that do not exist yet (by slug), published, with a
    first revision. Existing providers are left alone, so editors' changes survive.

    All or nothing: the file is validated completely before anything is written."""
    specs = provider_specs_read(path=path)
    existing = set(Provider.objects.values_list("slug", flat=True))
    created = 0
    with transaction.atomic():
        for spec in specs:
            if spec.fields["slug"] in existing:
                continue
            provider = _provider_from_spec(spec)
            provider.full_clean()
            provider.save()
            provider.save_revision().publish()
            created += 1
    return created, len(specs) - created


@dataclass
class UpdateReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _normalised(model_field, value):
    return None if value in (None, "") and model_field.null else model_field.to_python(value)


def _state(fields: dict, figure_rows: list[dict]) -> tuple:
    """A comparable form of a provider's fields and figures (order of figures ignored)."""
    plain = tuple(
        sorted(
            (name, _normalised(Provider._meta.get_field(name), value))
            for name, value in fields.items()
        )
    )
    figure_fields = [ProviderFigure._meta.get_field(name) for name in FIGURE_FIELDS]
    rows = sorted(
        (tuple(_normalised(f, row.get(f.name)) for f in figure_fields) for row in figure_rows),
        key=repr,
    )
    return plain, tuple(rows)


def _current_state(provider: Provider, names) -> tuple:
    latest = provider.get_latest_revision_as_object()
    fields = {name: getattr(latest, name) for name in names}
    rows = [
        {name: getattr(figure, name) for name in FIGURE_FIELDS} for figure in latest.figures.all()
    ]
    return latest, _state(fields, rows)


def providers_update(*, path: Path = CONTENT_FILE, publish: bool = False) -> UpdateReport:
    """Brings the file into the database: new providers are created (published); for an
    existing provider whose latest version differs from the file, the file's version is saved
    as a new revision – a draft for editors to review, or published with `publish`.

    Idempotent: a provider that already matches the file gets no new revision."""
    specs = provider_specs_read(path=path)
    report = UpdateReport()
    existing = {
        p.slug: p for p in Provider.objects.filter(slug__in=[s.fields["slug"] for s in specs])
    }
    with transaction.atomic():
        for spec in specs:
            slug = spec.fields["slug"]
            provider = existing.get(slug)
            if provider is None:
                new = _provider_from_spec(spec)
                new.full_clean()
                new.save()
                new.save_revision().publish()
                report.created.append(slug)
                continue
            latest, state = _current_state(provider, spec.fields)
            if state == _state(spec.fields, spec.figures):
                if publish and provider.has_unpublished_changes:
                    provider.get_latest_revision().publish()  # the draft is the file's version
                    report.updated.append(slug)
                else:
                    report.unchanged.append(slug)
                continue
            for name, value in spec.fields.items():
                setattr(latest, name, value)
            latest.figures = [
                ProviderFigure(sort_order=position, **data)
                for position, data in enumerate(spec.figures)
            ]
            latest.full_clean()
            revision = latest.save_revision()
            if publish:
                revision.publish()
            report.updated.append(slug)
        if publish and (report.created or report.updated):
            changed(Scope.CONTENT)
    return report


# --- MiCA register -------------------------------------------------------------------------


@dataclass
class RegisterReport:
    register: MicaRegisterImport
    matched: list[str]
    changes: list[dict]
    warnings: list[str]


def _previous_statuses(providers: list[Provider]) -> dict[int, mica_register.MicaStatus | None]:
    """What readers saw before this import: the last imported register, or else the
    providers' own (sourced) MiCA figure."""
    snapshot = register_snapshot(leis={lei for provider in providers for lei in provider.leis})
    result: dict[int, mica_register.MicaStatus | None] = {}
    for provider in providers:
        if snapshot.register is not None:
            result[provider.pk] = mica_register.mica_status(
                rows=snapshot.rows, leis=provider.leis, snapshot=snapshot.register.snapshot
            )
            continue
        fact = provider.facts.verified("mica")
        result[provider.pk] = (
            None
            if fact is None
            else mica_register.MicaStatus(
                authorised=bool(fact.flag),
                authorities=(fact.text,) if fact.text else (),
                entities=(),
                authorised_on=fact.effective,
                snapshot=fact.checked,
                leis=tuple(provider.leis),
                reason="laut Anbieterdaten",
            )
        )
    return result


def mica_register_import(
    *,
    data: bytes,
    file_name: str,
    snapshot: dt.date | None = None,
    source: str = mica_register.REGISTER_URL,
    allow_no_match: bool = False,
) -> RegisterReport:
    """Stores a register snapshot and reports what changed for the providers with an LEI.

    Raises mica_register.RegisterError (German messages with line numbers) and writes nothing
    if a row cannot be read or the snapshot date is unknown – or if none of the providers'
    LEIs is in the file (almost certainly the wrong file; it would take every authorisation
    away), unless `allow_no_match`."""
    parsed = mica_register.register_read(data)
    snapshot = snapshot or parsed.newest_update
    if snapshot is None:
        raise mica_register.RegisterError(
            [
                "Der Stand des Registers steht in keiner Zeile (Spalte ac_lastupdate); bitte "
                "mit --stand JJJJ-MM-TT angeben."
            ]
        )
    if snapshot > timezone.localdate():
        raise mica_register.RegisterError(["Der Stand des Registers liegt in der Zukunft."])
    providers = list(
        Provider.objects.exclude(mica_lei="").prefetch_related("figures").order_by("name")
    )
    before = _previous_statuses(providers)
    file_leis = {row.lei for row in parsed.rows}
    matched, changes = [], []
    for provider in providers:
        if file_leis & set(provider.leis):
            matched.append(provider.slug)
        after = mica_register.mica_status(rows=parsed.rows, leis=provider.leis, snapshot=snapshot)
        old = before[provider.pk]
        if old is None or old.comparable() != after.comparable():
            changes.append(
                {
                    "provider": provider.name,
                    "slug": provider.slug,
                    "before": old.summary if old else "nicht geprüft",
                    "after": after.summary,
                    "authorised": after.authorised,
                }
            )
    if providers and not matched and not allow_no_match:
        raise mica_register.RegisterError(
            [
                f"Keine der LEIs unserer {len(providers)} Anbieter steht in der Datei – ist es "
                "das vollständige Register? Mit --auch-ohne-treffer trotzdem einlesen."
            ]
        )
    with transaction.atomic():
        register = MicaRegisterImport.objects.create(
            file_name=file_name[:200],
            snapshot=snapshot,
            source=source,
            rows=len(parsed.rows),
            changes=changes,
            warnings=parsed.warnings,
        )
        MicaRegisterEntry.objects.bulk_create(
            MicaRegisterEntry(
                register=register,
                line=row.line,
                lei=row.lei[:40],
                entity=row.entity[:300],
                commercial_name=row.commercial_name[:300],
                authority=row.authority[:300],
                home_state=row.home_state,
                authorised_on=row.authorised_on,
                ends_on=row.ends_on,
                services=row.services,
                passport=" ".join(row.passport)[:300],
            )
            for row in parsed.rows
        )
        changed(Scope.CONTENT)
    return RegisterReport(
        register=register, matched=matched, changes=changes, warnings=parsed.warnings
    )


# --- permissions ---------------------------------------------------------------------------

EDITOR_PERMISSIONS = {
    "Editors": ["add_provider", "change_provider"],
    "Moderators": ["add_provider", "change_provider", "delete_provider", "publish_provider"],
}


def provider_permissions_grant() -> None:
    """Lets Wagtail's default editor groups work on providers (editors: drafts; moderators:
    publish). Idempotent; groups that do not exist are skipped."""
    for group_name, codenames in EDITOR_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        permissions = Permission.objects.filter(
            content_type__app_label="comparisons", codename__in=codenames
        )
        group.permissions.add(*permissions)
