"""People and credentials: users who log in with an email, their saved delivery addresses, and
API keys for sellers, apps and buyers."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models, transaction
from django.utils.functional import cached_property

from agora.core import clock
from agora.core.ids import PublicIdField, new_public_id
from agora.core.vault.people import (
    Profile,
    email_digest,
    person_create,
    person_profile,
    person_seal,
    person_unseal,
)


class UserManager(BaseUserManager["User"]):
    """Users are found by the keyed digest of their email: the table holds no address."""

    use_in_migrations = True

    def by_email(self, email: str) -> models.QuerySet[User]:
        return self.filter(email_digest=email_digest(email))

    def get_by_natural_key(self, username: str | None) -> User:
        # ``username`` is what the person typed at sign-in: their email.
        return self.get(email_digest=email_digest(username or ""))

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        """The user and their person (the vault row holding email and name sealed)."""
        if not (email or "").strip():
            raise ValueError("a user needs an email address")
        name = str(extra.pop("display_name", "") or "")
        with transaction.atomic(using=self._db):
            person = person_create(email=self.normalize_email(email), name=name)
            user = self.model(person=person, email_digest=person.email_digest, **extra)
            user.set_password(password)  # None gives an unusable password (e.g. imported buyers)
            user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. Every user can buy; ``is_staff`` marks platform operators; seller
    staff roles live in ``marketplace.SellerStaff``.

    The email and name are not columns here: they live sealed in the user's ``person``
    (:mod:`agora.core.vault`), and ``email_digest`` (a keyed hash) finds the user at sign-in.
    ``email`` and ``display_name`` read them; after erasure both are empty."""

    public_id = PublicIdField(prefix="usr")
    person = models.OneToOneField(
        "core.Person", on_delete=models.PROTECT, related_name="user", null=True, blank=True
    )
    email_digest = models.CharField(max_length=64, unique=True)
    preferred_language = models.CharField(max_length=10, default="en")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform operator")
    date_joined = models.DateTimeField(default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email_digest"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email or self.public_id

    @cached_property
    def profile(self) -> Profile:
        """The opened profile, once per instance (services that change it drop the cache)."""
        if self.person_id is None:
            return Profile(erased=True)
        return person_profile(self.person)

    @property
    def email(self) -> str:
        return self.profile.email

    @property
    def display_name(self) -> str:
        return self.profile.name

    @property
    def is_erased(self) -> bool:
        return self.profile.erased

    def get_username(self) -> str:
        return self.email

    def natural_key(self) -> tuple[str]:
        return (self.email,)

    def clean(self) -> None:
        # AbstractBaseUser.clean writes get_username() into USERNAME_FIELD: not for a digest.
        models.Model.clean(self)


class ApiKey(models.Model):
    """A bearer credential for a seller (or a platform app). Only a hash of the secret is kept;
    the full key is shown once, when issued."""

    class Kind(models.TextChoices):
        SELLER = "seller"
        APP = "app"
        BUYER = "buyer", "a buyer's own key (reads their orders)"

    public_id = PublicIdField(prefix="key")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SELLER)
    seller = models.ForeignKey(
        "marketplace.Seller",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    # A buyer's key acts for this user and nobody else (``accounts.buyer_keys``).
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    lookup = models.CharField(max_length=16, unique=True, help_text="Public part of the key")
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="buyer")
                | (models.Q(user__isnull=False) & models.Q(seller__isnull=True)),
                name="buyer_key_has_a_user_and_no_seller",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (agora_sk_{self.lookup}_…)"

    @property
    def is_active(self) -> bool:
        now = clock.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


ADDRESS_FIELDS = (
    "name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postcode",
    "phone",
    "vat_id",
)


class Address(models.Model):
    """A delivery address a buyer saved to pick at checkout. Everything but the label and the
    country is sealed under the buyer's person key (``sealed``, purpose ``address:<id>``); the
    fields read as attributes. Orders keep their own sealed copy of the address they ship to,
    so editing or deleting a saved one never rewrites an order."""

    public_id = PublicIdField(prefix="adr")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=60, blank=True, help_text="e.g. Home, Office")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    sealed = models.BinaryField(null=True, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-is_default", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="one_default_address_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city} ({self.country})"

    @property
    def purpose(self) -> str:
        return f"address:{self.public_id}"

    @cached_property
    def opened(self) -> dict[str, str]:
        """The sealed fields (all empty once the buyer is erased)."""
        record = person_unseal(self.user.person, self.sealed, purpose=self.purpose)
        return {name: str((record or {}).get(name) or "") for name in ADDRESS_FIELDS}

    def seal(self, values: dict[str, str]) -> None:
        """Seals ``values`` (the ADDRESS_FIELDS) into this row; the caller saves."""
        if not self.public_id:  # the purpose names the row: give it its id before it is saved
            self.public_id = new_public_id("adr")
        record = {name: values.get(name, "") for name in ADDRESS_FIELDS}
        self.sealed = person_seal(self.user.person, record, purpose=self.purpose)
        self.__dict__["opened"] = record

    name = property(lambda self: self.opened["name"])
    company = property(lambda self: self.opened["company"])
    line1 = property(lambda self: self.opened["line1"])
    line2 = property(lambda self: self.opened["line2"])
    city = property(lambda self: self.opened["city"])
    region = property(lambda self: self.opened["region"])
    postcode = property(lambda self: self.opened["postcode"])
    phone = property(lambda self: self.opened["phone"])
    vat_id = property(lambda self: self.opened["vat_id"])  # normalised, business buyers


# --- account security (issue 8 item 7) -------------------------------------------------------


class TotpDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238). The shared secret is stored encrypted (AES-GCM,
    ``accounts.mfa``); the device protects sign-in only once ``confirmed_at`` is set, i.e. after
    the user proved with a code that their app holds the secret."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret_encrypted = models.BinaryField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second step a code was accepted for: a code is never accepted twice.
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP for {self.user_id} ({'on' if self.confirmed_at else 'pending'})"


class RecoveryCode(models.Model):
    """A single-use code that stands in for a TOTP code when the authenticator is lost. Only an
    argon2 hash is kept; the codes are shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.user_id}"


class LoginThrottle(models.Model):
    """Failed sign-ins per account (a keyed hash of the email, known or not, so the answer never
    tells whether an account exists) and per client IP, with the lock-out they earned. A table,
    not a cache: several server processes share it (``accounts.throttle``)."""

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        IP = "ip"

    scope = models.CharField(max_length=10, choices=Scope)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    last_failure_at = models.DateTimeField()
    lockouts = models.PositiveIntegerField(default=0, help_text="lock-outs in a row")
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_login_throttle_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}… {self.failures} failures"


class RateCounter(models.Model):
    """Hits of one limited bucket (``login:ip:…``, ``checkout:user:…``, ``api_key:…``) in one
    fixed window, counted by a single upsert per hit (``accounts.ratelimit``)."""

    bucket = models.CharField(max_length=120)
    window_start = models.BigIntegerField(help_text="Unix seconds")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "window_start"], name="one_rate_counter_per_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start}: {self.hits}"


class UserSession(models.Model):
    """What the account page shows about a signed-in session: the device (from the User-Agent),
    a truncated IP and when it was last seen. Keyed by the session key, so signing a session
    out deletes the session itself (``accounts.devices``)."""

    session_key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    user_agent = models.CharField(max_length=300, blank=True)
    ip_truncated = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"session of {self.user_id} last seen {self.last_seen_at:%Y-%m-%d %H:%M}"


class SecurityEvent(models.Model):
    """A security-relevant fact about an account (sign-in, failure, lock-out, 2FA changes,
    session revoked, password changed, API key limited), shown to its owner. A table of its
    own beside ``core.AuditEntry`` because most of these events change no row to point at and
    some (a failed sign-in for an unknown email) have no user at all."""

    class Kind(models.TextChoices):
        LOGIN_OK = "login.ok"
        LOGIN_FAILED = "login.failed"
        LOCKED_OUT = "login.locked_out"
        MFA_ENABLED = "mfa.enabled"
        MFA_DISABLED = "mfa.disabled"
        MFA_FAILED = "mfa.failed"
        RECOVERY_CODE_USED = "mfa.recovery_code_used"
        RECOVERY_CODES_RENEWED = "mfa.recovery_codes_renewed"
        SESSION_REVOKED = "session.revoked"
        PASSWORD_CHANGED = "password.changed"
        API_KEY_RATE_LIMITED = "api_key.rate_limited"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(max_length=40, choices=Kind)
    ip_truncated = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="security_event_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.user_id}"
