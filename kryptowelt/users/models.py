from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Our own user model from the first migration, so that fields can be added later
    without the painful switch away from `auth.User`."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "Benutzer"
        verbose_name_plural = "Benutzer"
