"""Writing the audit trail: `record_event` and the signal receivers that call it."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from pulih.lib.audit import personal_data_exported
from units.models import Membership, Unit

from .models import AuditEntry, AuditKind


def _address(request) -> str:
    return (getattr(request, "META", {}) or {}).get("REMOTE_ADDR", "")[:64] if request else ""


def _units_of(user) -> list:
    if user is None or not getattr(user, "pk", None):
        return [None]
    return list(Unit.objects.filter(memberships__user=user).distinct()) or [None]


def record_event(
    kind: str,
    *,
    actor=None,
    username: str = "",
    summary: str = "",
    unit=None,
    request=None,
) -> list[AuditEntry]:
    """Append one entry per unit concerned (the given unit, else each unit of the actor)."""
    units = [unit] if unit is not None else _units_of(actor)
    name = username or (actor.get_username() if actor is not None else "")
    return [
        AuditEntry.objects.create(
            at=timezone.now(),
            unit=u,
            kind=kind,
            actor=actor if getattr(actor, "pk", None) else None,
            username=name[:150],
            summary=summary[:300],
            address=_address(request),
        )
        for u in units
    ]


def _current_actor():
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return (user if user is not None and user.is_authenticated else None), request


def _user_by_name(username: str):
    return get_user_model()._default_manager.filter(username=username).first()


def on_login(sender, request, user, **kwargs):
    record_event(AuditKind.LOGIN, actor=user, summary="", request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    record_event(
        AuditKind.LOGIN_FAILED, actor=_user_by_name(username), username=username, request=request
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:150]
    record_event(
        AuditKind.LOCKOUT, actor=_user_by_name(username), username=username, request=request
    )


def _role_text(membership) -> str:
    return f"{membership.user.get_username()}: {membership.get_role_display()}"


def on_membership_pre_save(sender, instance, **kwargs):
    instance._audit_old = (
        sender._default_manager.filter(pk=instance.pk).select_related("user", "unit").first()
        if instance.pk
        else None
    )


def on_membership_saved(sender, instance, created, **kwargs):
    actor, request = _current_actor()
    old = getattr(instance, "_audit_old", None)
    if old is not None and (old.unit_id, old.role, old.user_id) == (
        instance.unit_id,
        instance.role,
        instance.user_id,
    ):
        return
    if old is not None:
        record_event(
            AuditKind.ROLE_REVOKED,
            actor=actor,
            summary=_role_text(old),
            unit=old.unit,
            request=request,
        )
    record_event(
        AuditKind.ROLE_GRANTED,
        actor=actor,
        summary=_role_text(instance),
        unit=instance.unit,
        request=request,
    )


def on_membership_deleted(sender, instance, **kwargs):
    actor, request = _current_actor()
    record_event(
        AuditKind.ROLE_REVOKED,
        actor=actor,
        summary=_role_text(instance),
        unit=instance.unit,
        request=request,
    )


def on_admin_action(sender, instance, created, **kwargs):
    if not created:
        return
    _actor, request = _current_actor()
    verb = {1: "+", 2: "~", 3: "-"}.get(instance.action_flag, "?")
    what = instance.content_type.name if instance.content_type_id else ""
    record_event(
        AuditKind.ADMIN_ACTION,
        actor=instance.user,
        summary=f"{verb} {what}: {instance.object_repr}"[:300],
        request=request,
    )


def on_exported(sender, actor=None, unit=None, summary="", request=None, **kwargs):
    record_event(AuditKind.EXPORT, actor=actor, unit=unit, summary=summary, request=request)


def connect() -> None:
    from axes.signals import user_locked_out

    uid = "reports.auditlog."
    user_logged_in.connect(on_login, dispatch_uid=uid + "login")
    user_login_failed.connect(on_login_failed, dispatch_uid=uid + "failed")
    user_locked_out.connect(on_locked_out, dispatch_uid=uid + "lockout")
    pre_save.connect(on_membership_pre_save, sender=Membership, dispatch_uid=uid + "m-pre")
    post_save.connect(on_membership_saved, sender=Membership, dispatch_uid=uid + "m-save")
    post_delete.connect(on_membership_deleted, sender=Membership, dispatch_uid=uid + "m-del")
    post_save.connect(on_admin_action, sender=LogEntry, dispatch_uid=uid + "admin")
    personal_data_exported.connect(on_exported, dispatch_uid=uid + "export")
