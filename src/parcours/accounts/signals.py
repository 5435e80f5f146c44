"""Credentials follow the account: sessions registered at sign-in; sessions ended and API tokens revoked when the
account is disabled or its password changes; API tokens revoked when one of the user's memberships ends."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from parcours.organisations.models import Membership

from .enums import ApiTokenRevocation
from .models import UserSession
from .services import api_tokens_revoke_all
from .sessions import session_register, sessions_end

logger = logging.getLogger("parcours.security")
User = get_user_model()


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    session_register(request, user)
    logger.info("login user_id=%s", user.pk)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    if user is not None:
        logger.info("logout user_id=%s", user.pk)


@receiver(post_init, sender=User)
def _remember(sender, instance, **kwargs):
    instance._parcours_initial = (instance.__dict__.get("is_active"), instance.__dict__.get("password"))


@receiver(post_save, sender=User)
def _end_credentials(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    was_active, old_password = getattr(instance, "_parcours_initial", (None, None))
    if not created:
        disabled = was_active is True and instance.is_active is False
        # A hash upgrade at sign-in (check_password's setter clears _password) is not a new password.
        new_password = old_password is not None and instance.password != old_password and (
            instance._password is not None or not instance.has_usable_password())
        if disabled or new_password:
            reason = "disabled" if disabled else "password"
            ended = sessions_end(instance)
            logger.info("sessions ended user_id=%s reason=%s count=%s", instance.pk, reason, ended)
            api_tokens_revoke_all(user_id=instance.pk, reason=ApiTokenRevocation.ACCOUNT_DISABLED if disabled
                                  else ApiTokenRevocation.PASSWORD)
    instance._parcours_initial = (instance.is_active, instance.password)


# A token is not tied to one membership (it may name any with X-Parcours-Structure), so when one ends, a system of
# the structure left could still hold a token: every token of the user is revoked.
@receiver(post_init, sender=Membership)
def _remember_membership(sender, instance, **kwargs):
    instance._parcours_was_active = instance.__dict__.get("is_active")


@receiver(post_save, sender=Membership)
def _on_membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if not created and getattr(instance, "_parcours_was_active", None) is True and instance.is_active is False:
        api_tokens_revoke_all(user_id=instance.user_id, reason=ApiTokenRevocation.MEMBERSHIP_ENDED)
    instance._parcours_was_active = instance.is_active


@receiver(post_delete, sender=Membership)
def _on_membership_deleted(sender, instance, **kwargs):
    if instance.is_active:
        # By id: when the account itself is being deleted, its row may already be gone.
        api_tokens_revoke_all(user_id=instance.user_id, reason=ApiTokenRevocation.MEMBERSHIP_ENDED)
