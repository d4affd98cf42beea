"""Reads of the imported MiCA register: the newest snapshot's rows for a set of LEIs, and a
provider's figures with the register's MiCA status in place of its own figure."""

from __future__ import annotations

from dataclasses import dataclass

from kryptowelt.comparisons import mica_register
from kryptowelt.comparisons.facts import FactSet
from kryptowelt.comparisons.models import MicaRegisterImport, Provider


@dataclass(frozen=True)
class RegisterSnapshot:
    register: MicaRegisterImport | None
    rows: list[mica_register.RegisterRow]


def register_snapshot(*, leis) -> RegisterSnapshot:
    """The newest imported register and its rows for these LEIs (two queries at most)."""
    register = MicaRegisterImport.objects.order_by("-snapshot", "-imported_at").first()
    if register is None or not leis:
        return RegisterSnapshot(register=register, rows=[])
    rows = [entry.as_row() for entry in register.entries.filter(lei__in=set(leis))]
    return RegisterSnapshot(register=register, rows=rows)


def provider_facts(*, provider: Provider, snapshot: RegisterSnapshot) -> FactSet:
    """The provider's figures; with an imported register and an LEI, its MiCA figure is the
    register's (authority, date of authorisation, snapshot date)."""
    facts = provider.facts
    if snapshot.register is None or not provider.leis:
        return facts
    status = mica_register.mica_status(
        rows=snapshot.rows, leis=provider.leis, snapshot=snapshot.register.snapshot
    )
    return facts.replaced(mica_register.status_fact(status, source=snapshot.register.source))
