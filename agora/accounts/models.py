"""People and credentials: users who log in with an email, their saved delivery addresses, and
API keys for sellers, apps and buyers."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models

from agora.core import clock
from agora.core.ids import PublicIdField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("a user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)  # None gives an unusable password (e.g. imported buyers)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. Every user can buy; ``is_staff`` marks platform operators; seller
    staff roles live in ``marketplace.SellerStaff``."""

    public_id = PublicIdField(prefix="usr")
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    preferred_language = models.CharField(max_length=10, default="en")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform operator")
    date_joined = models.DateTimeField(default=clock.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email


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


class Address(models.Model):
    """A delivery address a buyer saved to pick at checkout. Orders copy the address they ship
    to (``Order.ship_to``), so editing or deleting a saved one never rewrites an order."""

    public_id = PublicIdField(prefix="adr")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=60, blank=True, help_text="e.g. Home, Office")
    name = models.CharField(max_length=100)
    company = models.CharField(max_length=100, blank=True)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    phone = models.CharField(max_length=40, blank=True)
    vat_id = models.CharField(max_length=32, blank=True, help_text="normalised, business buyers")
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
