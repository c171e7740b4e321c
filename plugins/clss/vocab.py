"""The closed vocabularies of the content model, each defined once with its UI label.

Labels are gettext message ids (English); `clss.i18n` translates them with the site and print
catalogs. Templates and print code call `status_label(status, gettext)`.
"""
from __future__ import annotations

from collections.abc import Callable


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it here."""
    return message


QUARTIER_STATUSES = ("in-progress", "stopped", "not-launched")
PROJECT_STATUSES = ("in-progress", "stopped", "completed")

STATUS_LABELS = {
    "in-progress": N_("In progress"),
    "stopped": N_("Stopped"),
    "not-launched": N_("Not launched"),
    "completed": N_("Completed"),
}


def status_label(status: str, gettext: Callable[[str], str]) -> str:
    return gettext(STATUS_LABELS[status])
