"""Writing the audit trail. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from samenspraak.common.models import AuditEvent

# Readable names of audit actions, registered by the app that records them, so that a page
# showing a trail (e.g. a process's history) names every app's actions without knowing them.
_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Add ``{action code: translatable label}``; an app calls this from its ``ready()``."""
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> Any:
    """The registered label of ``action``, or the code itself when none is registered."""
    return _ACTION_LABELS.get(action, action)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def model_changes(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields in ``data`` whose value differs from ``instance``: {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name, new in data.items():
        old = getattr(instance, name, None)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    process_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:255],
        process_id=process_id,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )
