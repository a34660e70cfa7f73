"""``agora createsuperuser``: an operator account, asked for by email and password.

Replaces Django's command, which prompts for the ``USERNAME_FIELD``: here that is the email's
keyed digest, which nobody can type. The email goes into the vault like every user's."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from agora.accounts.models import User


class Command(BaseCommand):
    help = "Creates an operator (superuser) account with an email and a password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="the operator's email (asked for when not given)")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="ask nothing: --email and the DJANGO_SUPERUSER_PASSWORD variable are required",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = (options.get("email") or "").strip()
        if not email and options["interactive"]:
            email = input("Email: ").strip()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address") from exc
        if User.objects.by_email(email).exists():
            raise CommandError(f"an account with email {email!r} already exists")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        if not password:
            if not options["interactive"]:
                raise CommandError("--noinput needs the password in DJANGO_SUPERUSER_PASSWORD")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ; nothing was created")
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            raise CommandError("the password is refused: " + " ".join(exc.messages)) from exc
        User.objects.create_superuser(email, password)
        self.stdout.write(f"Operator {email} created; sign in at /admin/.")
