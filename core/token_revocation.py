"""Revoke a user's API tokens when the account's credentials or rights change: a password
change, the loss of administrator rights, deactivation. Connected in CoreConfig.ready().

Any path counts (the admin, the password-change page, `set_password()` + `save()`,
`changepassword`), since each saves the user row. The roles of the programme are
memberships, which companies.signals watches the same way."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save

from core.tokens import tokens_revoke

# The columns whose change ends the tokens; a save that writes none of them (the last-login
# stamp at every sign-in) is not looked at.
WATCHED_FIELDS = frozenset({"password", "is_superuser", "is_active"})


def _credentials_changed(sender, instance, update_fields) -> bool:
    if instance.pk is None or instance._state.adding:
        return False
    written = WATCHED_FIELDS if update_fields is None else WATCHED_FIELDS & update_fields
    if not written:
        return False
    if "password" in written and getattr(instance, "_password", None) is not None:
        # set_password() was called: Django's own mark of a password change.
        return True
    stored = sender._default_manager.filter(pk=instance.pk).values(*written).first()
    if stored is None:
        return False
    # Signing in may re-hash the same password under newer hasher settings; Django saves that
    # alone (update_fields=["password"]) and, as here, does not count it as a change.
    rehash = update_fields == {"password"}
    if "password" in written and stored["password"] != instance.password and not rehash:
        return True
    # Rights taken away: administrator rights removed, or the account deactivated.
    return any(stored[flag] and not getattr(instance, flag) for flag in written - {"password"})


def user_pre_save(sender, instance, update_fields=None, **kwargs):
    instance._revoke_tokens = _credentials_changed(sender, instance, update_fields)


def user_post_save(sender, instance, **kwargs):
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        tokens_revoke(user_id=instance.pk)


def connect():
    user_model = get_user_model()
    pre_save.connect(user_pre_save, sender=user_model, dispatch_uid="core-user-pre-save")
    post_save.connect(user_post_save, sender=user_model, dispatch_uid="core-user-post-save")
