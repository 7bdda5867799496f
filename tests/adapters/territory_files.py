"""A territory file and a record file for the command line's tests: a territory's first session."""

from __future__ import annotations

from typing import Final


TERRITORY_TOML: Final = """\
on = 2025-11-03
operator_staff = "OP1"
national_committee = "CN"
state_chair = "PREFET"

[territory]
id = "MEUSE"
name = "Vallée de la Meuse"
departements = ["55"]

[operator]
id = "CCI55"
name = "CCI Meuse Haute-Marne"
kind = "chamber_of_commerce"

[prefecture]
id = "PREF55"
name = "Préfecture de la Meuse"
kind = "prefecture"

[settings]
section = "règlement intérieur, article 4"
[settings.values]
quorum = 3
rounding = "down"

[validation]
on = 2025-12-01

[[partners]]
id = "ACIER"
name = "Aciéries de l'Est"
grants_subsidised_loans = true

[[partners]]
id = "ENERG"
name = "Énergies de la Meuse"

[[partners]]
id = "TRANS"
name = "Transports Argonne"

[[people]]
id = "R1"
role = "company_representative"
organisation = "ACIER"
on = 2025-12-03

[[people]]
id = "R2"
role = "company_representative"
organisation = "ENERG"
on = 2025-12-03

[[people]]
id = "R3"
role = "company_representative"
organisation = "TRANS"
on = 2025-12-03

[[people]]
id = "M1"
role = "mentor"
organisation = "ACIER"
category = "executive"
on = 2025-12-03
"""
"""A territory founded by hand: three partners, three representatives and a mentor."""

RECORD_LINES: Final = (
    '{"id": "conv-2026", "command": "sign_convention", "on": "2025-12-15", "actor": "OP1",'
    ' "convention": {"id": "CT-2026", "start": "2026-01-01", "commitments": ['
    '{"partner": "ACIER", "yearly_amount": "60000.00", "yearly_days": 20},'
    '{"partner": "ENERG", "yearly_amount": "30000.00", "yearly_days": 10},'
    '{"partner": "TRANS", "yearly_amount": "10000.00", "yearly_days": 5}]}}',
    '{"id": "contrib-acier", "command": "receive_contribution", "on": "2026-01-20",'
    ' "actor": "OP1", "partner": "ACIER", "amount": "60000.00"}',
    '{"id": "sme-1", "command": "register_sme", "on": "2026-02-02", "actor": "OP1",'
    ' "sme": {"siren": "555012343", "name": "Usinage Meusien", "creation_date": "2009-05-12",'
    ' "staff": 42, "turnover": "6500000.00", "balance_sheet": "4100000.00",'
    ' "commune": "55029"}}',
    '{"id": "proj-1", "command": "identify_project", "on": "2026-02-02", "actor": "OP1",'
    ' "project": {"id": "P1", "sme": "555012343", "title": "Ligne d\'usinage 5 axes",'
    ' "jobs_created": 6, "jobs_kept": 36}}',
    '{"id": "valid-1", "command": "validate_file", "on": "2026-02-09", "actor": "OP1",'
    ' "project": "P1"}',
    '{"id": "s1-convene", "command": "convene_session", "on": "2026-03-12", "actor": "OP1",'
    ' "session": "S1", "session_date": "2026-03-12",'
    ' "agenda": [{"project": "P1", "advance": "24000.00", "mentor_days": 6}]}',
    '{"id": "s1-open", "command": "open_session", "on": "2026-03-12", "actor": "OP1",'
    ' "session": "S1", "attendees": ["OP1", "R1", "R2", "R3"], "president": "R1"}',
    '{"id": "s1-r1", "command": "cast_vote", "on": "2026-03-12", "actor": "R1",'
    ' "session": "S1", "project": "P1", "ballot": "for"}',
    '{"id": "s1-r2", "command": "cast_vote", "on": "2026-03-12", "actor": "R2",'
    ' "session": "S1", "project": "P1", "ballot": "for"}',
    '{"id": "s1-r3", "command": "cast_vote", "on": "2026-03-12", "actor": "R3",'
    ' "session": "S1", "project": "P1", "ballot": "against"}',
    '{"id": "s1-close", "command": "close_session", "on": "2026-03-12", "actor": "OP1",'
    ' "session": "S1"}',
    '{"id": "agr-1", "command": "sign_agreement", "on": "2026-03-31", "actor": "OP1",'
    ' "project": "P1", "agreement": "CC-P1"}',
    '{"id": "disb-1", "command": "disburse_advance", "on": "2026-03-31", "actor": "OP1",'
    ' "project": "P1", "instalments": 24}',
    '{"id": "rep-1", "command": "receive_repayment", "on": "2026-04-30", "actor": "OP1",'
    ' "project": "P1", "amount": "1000.00"}',
)
"""The territory's first year, one command a line: a convention, a project adopted 2–1, its advance."""


def record_text(lines: tuple[str, ...] = RECORD_LINES) -> str:
    """The lines as a JSON Lines file."""
    return "".join(f"{line}\n" for line in lines)
