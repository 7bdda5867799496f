"""
The session file (*fichier de séance*): a session of the approval committee as a JSON file.

The file holds the session (territory, date, partner companies, attendees, president,
agenda with ballots and means) and the territory's settings for it (``quorum``,
``vote_per``, ``conflicts_excluded``), which apply from the session's date over the
national defaults. Its shape is the JSON schema shipped in the package
(:func:`session_schema`). ``alize decide`` reads it; the demo writes one and reads it back.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from importlib import resources
from typing import Final

from alize_core.governance.committee import CommitteeSession
from alize_core.kernel.errors import MalformedInput
from alize_core.kernel.serialization import structure
from alize_core.kernel.settings import (
    CONFLICTS_EXCLUDED,
    QUORUM,
    VOTE_PER,
    Settings,
    setting_named,
)


__all__ = ["SESSION_SETTINGS", "SETTINGS_SECTION", "load_session", "session_schema"]

SESSION_SETTINGS: Final = (QUORUM.name, VOTE_PER.name, CONFLICTS_EXCLUDED.name)
"""The settings a session file may set for its territory."""

SETTINGS_SECTION: Final = "paramètres du fichier de séance"
"""The section cited by the settings a session file sets."""


def session_schema() -> str:
    """
    The JSON schema of the session file, as shipped in the package.

    .. versionadded:: 0.1.0
    """
    schema = resources.files("alize_adapters") / "schemas" / "session.schema.json"
    return schema.read_text(encoding="utf-8")


def _territory_settings(raw: object, session: CommitteeSession) -> Settings:
    if not isinstance(raw, dict):
        raise MalformedInput(
            "settings", None, "must be an object (quorum, vote_per, conflicts_excluded)"
        )
    settings = Settings.national()
    for name, value in raw.items():
        if name not in SESSION_SETTINGS:
            known = ", ".join(SESSION_SETTINGS)
            raise MalformedInput(
                f"settings.{name}", None, f"is not a setting of a session ({known})"
            )
        setting = setting_named(name)
        parsed = setting.parse(value, field=f"settings.{name}")
        settings = settings.set_for_territory(
            session.territory, setting, parsed, start=session.date, section=SETTINGS_SECTION
        )
    return settings


def load_session(data: object) -> tuple[CommitteeSession, Settings]:
    """
    The session and its settings from a session file's parsed JSON.

    Raises:
        MalformedInput: The data does not fit the session file's shape; the path of
            the culprit is named.
        InvalidValue: A setting's value does not fit it (``settings.quorum``…).

    .. versionadded:: 0.1.0
    """
    if not isinstance(data, dict):
        raise MalformedInput("$", None, "must be a JSON object describing one session")
    fields = {key: value for key, value in data.items() if key != "settings"}
    session = structure(fields, CommitteeSession)
    return session, _territory_settings(data.get("settings", {}), session)
