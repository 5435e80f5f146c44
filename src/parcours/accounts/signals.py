"""Sessions follow the account: registered at sign-in, all ended when the account is disabled or its password changes."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from .models import UserSession
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
def _end_sessions(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    was_active, old_password = getattr(instance, "_parcours_initial", (None, None))
    if not created:
        disabled = was_active is True and instance.is_active is False
        new_password = old_password is not None and instance.password != old_password
        if disabled or new_password:
            ended = sessions_end(instance)
            logger.info("sessions ended user_id=%s reason=%s count=%s", instance.pk,
                        "disabled" if disabled else "password", ended)
    instance._parcours_initial = (instance.is_active, instance.password)
