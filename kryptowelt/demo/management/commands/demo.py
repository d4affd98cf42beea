import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from kryptowelt.demo.loaders import load_site

LOGIN_FILE = "demo-logins.txt"


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (idempotent) und legt Zugänge für das Redaktionssystem an."

    def handle(self, *args, **options):
        self.stdout.write("· Startseite, Rubriken, Übersichtsseiten und Rechtliches")
        home = load_site(stdout=self.stdout)
        for path in settings.KRYPTOWELT_DEMO_LOADERS:
            loader = import_string(path)
            self.stdout.write(
                f"· {loader.__doc__.strip().splitlines()[0] if loader.__doc__ else path}"
            )
            loader(home=home, stdout=self.stdout)
        # Make the new pages searchable now, without waiting for the background worker.
        call_command("update_index", verbosity=0)
        logins = self.ensure_logins()
        self.stdout.write(
            self.style.SUCCESS("\nDemo geladen. Zugänge zum Redaktionssystem (/admin/):")
        )
        for role, username, password in logins:
            self.stdout.write(f"  {role}: Benutzername „{username}“, Passwort „{password}“")

    def ensure_logins(self):
        """An administrator and an editor whose changes go through review.

        Passwords are random per installation and kept in var/demo-logins.txt (not in git),
        so the command prints the same logins on every run."""
        User = get_user_model()
        path = settings.VAR_DIR / LOGIN_FILE
        known = {}
        if path.exists():
            for line in path.read_text().splitlines():
                username, _, password = line.partition(":")
                known[username] = password
        logins = []
        for role, username, superuser, group in (
            ("Administrator/in", "admin", True, None),
            ("Redakteur/in (Freigabe nötig)", "redaktion", False, "Editors"),
        ):
            user = User.objects.filter(username=username).first()
            password = known.get(username)
            if user is None or password is None or not user.check_password(password):
                password = secrets.token_urlsafe(9)
                if user is None:
                    user = User(username=username, email=f"{username}@kryptowelt.example")
                user.is_superuser = superuser
                user.is_staff = superuser
                user.set_password(password)
                user.save()
                if group:
                    editors = Group.objects.filter(name=group).first()
                    if editors:
                        user.groups.add(editors)
                known[username] = password
            logins.append((role, username, password))
        path.write_text("".join(f"{name}:{pw}\n" for name, pw in known.items()))
        path.chmod(0o600)
        return logins
