"""``agora apikey``: issue, list and revoke API keys from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.accounts.models import ApiKey
from agora.accounts.scopes import ALL_SCOPES
from agora.accounts.services import api_key_issue, api_key_revoke
from agora.core.actors import system
from agora.core.errors import AgoraError
from agora.marketplace.models import Seller


def _seller(ref: str) -> Seller:
    seller = Seller.objects.filter(public_id=ref).first() or Seller.objects.filter(slug=ref).first()
    if seller is None:
        raise CommandError(f"no seller with public id or slug {ref!r}")
    return seller


class Command(BaseCommand):
    help = "Issue (shown once), list and revoke API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a key; the token is printed once")
        issue.add_argument(
            "--seller", help="seller public id or slug (leave it out for a platform app's key)"
        )
        issue.add_argument("--name", required=True)
        issue.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            default=None,
            help=f"repeatable; one of {', '.join(ALL_SCOPES)} (default: all)",
        )
        listing = sub.add_parser("list", help="list a seller's keys")
        listing.add_argument("--seller", required=True)
        revoke = sub.add_parser("revoke", help="revoke a key by its public id")
        revoke.add_argument("key_id")

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        actor = system("agora apikey")
        try:
            if action == "issue":
                seller = _seller(options["seller"]) if options["seller"] else None
                key, token = api_key_issue(
                    actor=actor,
                    name=options["name"],
                    scopes=options["scopes"] or list(ALL_SCOPES),
                    seller_id=seller.pk if seller else None,
                )
                owner = seller.display_name if seller else "a platform app"
                self.stdout.write(f"{key.public_id} for {owner}: {token}")
                self.stderr.write("store this key now: it is not shown again")
            elif action == "list":
                for key in ApiKey.objects.filter(seller=_seller(options["seller"])):
                    state = "revoked" if key.revoked_at else "active"
                    scopes = ",".join(key.scopes)
                    used = key.last_used_at or "-"
                    self.stdout.write(
                        f"{key.public_id}  {state:7}  {key.name}  {scopes}  used {used}"
                    )
            else:
                key = ApiKey.objects.filter(public_id=options["key_id"]).first()
                if key is None:
                    raise CommandError(f"no API key {options['key_id']!r}")
                api_key_revoke(actor=actor, key=key)
                self.stdout.write(f"revoked {key.public_id}")
        except AgoraError as exc:
            raise CommandError(str(exc)) from exc
