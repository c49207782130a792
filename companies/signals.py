"""A user's API tokens end with the role they were used under. Connected in
CompaniesConfig.ready().

A membership deleted (the role removed, by the admin, `user_assign_role` making the user an
administrator, or its company deleted) or changed to another role or binding revokes the
user's tokens (core.tokens): a client holding one signs in again under the new role."""

from django.db.models.signals import post_delete, post_save, pre_save

from companies.models import Membership
from core.tokens import tokens_revoke

BINDING_FIELDS = ("role", "region_id", "company_id")


def membership_pre_save(sender, instance, **kwargs):
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = sender._default_manager.filter(pk=instance.pk).values(*BINDING_FIELDS).first()
    instance._revoke_tokens = stored is not None and any(
        stored[name] != getattr(instance, name) for name in BINDING_FIELDS
    )


def membership_post_save(sender, instance, **kwargs):
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        tokens_revoke(user_id=instance.user_id)


def membership_post_delete(sender, instance, **kwargs):
    tokens_revoke(user_id=instance.user_id)


def connect():
    pre_save.connect(membership_pre_save, sender=Membership, dispatch_uid="membership-pre-save")
    post_save.connect(membership_post_save, sender=Membership, dispatch_uid="membership-post-save")
    post_delete.connect(
        membership_post_delete, sender=Membership, dispatch_uid="membership-post-delete"
    )
