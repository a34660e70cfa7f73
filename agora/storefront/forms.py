"""Forms of the buyer's buying pages: cart, checkout, returns and the account.

Forms check the shape of what was typed (required, lengths, numbers in range) with messages in
the visitor's language; the rules of the business stay in the services, whose refusals
(:class:`agora.core.errors.AgoraError`) :func:`add_service_error` puts next to the field they
name, translated by problem type. A bound form re-renders with what was typed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pycountry
from babel import Locale
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from agora.checkout.models import MAX_LINE_QUANTITY
from agora.circular.packaging.selectors import ReusableOffer, reusable_offer
from agora.core.errors import AgoraError
from agora.core.templatetags.agora_format import babel_locale
from agora.orders.models import OrderReturn

# What a refusal means to a buyer, by problem type (the service's detail is English).
PROBLEM_MESSAGES: dict[str, Any] = {
    "out-of-stock": gettext_lazy("Not enough of this item is in stock."),
    "variant-not-available": gettext_lazy("This item is no longer on sale."),
    "currency-not-sold": gettext_lazy("This item is not sold in your cart's currency."),
    "no-shipping-zone": gettext_lazy("This seller does not deliver to that country."),
    "cart-full": gettext_lazy("Your cart is full: remove something before adding more."),
    "tax-rate-unknown": gettext_lazy("VAT cannot be calculated for that destination."),
    "payment-declined": gettext_lazy("Your card was declined. Nothing was charged."),
    "email-taken": gettext_lazy("An account with this email already exists."),
    "vat-id-invalid": gettext_lazy("This VAT number is not valid."),
    "conflict": gettext_lazy("This changed meanwhile. Please check and try again."),
    "over-returned": gettext_lazy("That is more than you can still return for this item."),
    "invalid-state-transition": gettext_lazy("This is not possible at this stage."),
    "not-found": gettext_lazy("This no longer exists."),
    "checkout-abandoned": gettext_lazy(
        "The checkout was interrupted and undone. Nothing was charged; please try again."
    ),
}
DECLINE_MESSAGES: dict[str, Any] = {
    "card_declined": gettext_lazy("Your card was declined. Nothing was charged."),
    "insufficient_funds": gettext_lazy(
        "Your card has insufficient funds. Nothing was charged; try another card."
    ),
    "incorrect_number": gettext_lazy("The card number is incorrect. Check it and try again."),
    "authentication_failed": gettext_lazy(
        "The 3-D Secure check failed, so the payment was refused. Nothing was charged."
    ),
    "test_mode_live_card": gettext_lazy(
        "This is a test store: real cards are refused. Use one of the test cards below."
    ),
}
FALLBACK_MESSAGE = gettext_lazy("This value is not valid.")


# Refusals whose service detail tells the buyer more than the type's message (the value, the
# units left, the state it is in); English pages show that detail.
DETAIL_HELPS = frozenset(
    {"validation-error", "out-of-stock", "invalid-state-transition", "over-returned"}
)


def problem_message(error: AgoraError, *, field_message: str = "") -> str:
    """A refusal as the buyer reads it: the translated message of its problem type, or on
    English pages the service's own words where they name the value and what is accepted."""
    slug = error.problem.slug
    if slug in DETAIL_HELPS and (get_language() or "en").startswith("en"):
        return field_message or error.detail
    return str(PROBLEM_MESSAGES.get(slug, FALLBACK_MESSAGE))


def decline_message(code: str) -> str:
    return str(DECLINE_MESSAGES.get(code, DECLINE_MESSAGES["card_declined"]))


def add_service_error(
    form: forms.Form, error: AgoraError, field_map: dict[str, str] | None = None
) -> None:
    """Puts a service's refusal next to the form field it names (``field_map`` translates the
    service's field names to the form's), else at the top of the form."""
    field_map = field_map or {}
    placed = False
    for item in error.errors:
        name = field_map.get(item.field, item.field)
        if name in form.fields:
            form.add_error(name, problem_message(error, field_message=item.message))
            placed = True
    if not placed:
        form.add_error(None, problem_message(error))


@lru_cache(maxsize=8)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).territories
    rows = [(c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return tuple(sorted(rows, key=lambda row: row[1]))


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries named in the visitor's language, sorted by that name."""
    return [("", _("Choose a country")), *_countries(babel_locale())]


def country_name(code: str) -> str:
    return dict(_countries(babel_locale())).get(code, code)


class QuantityField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_LINE_QUANTITY)
        kwargs.setdefault("label", gettext_lazy("Quantity"))
        super().__init__(**kwargs)
        self.error_messages["required"] = gettext_lazy("Enter a quantity.")
        self.error_messages["invalid"] = gettext_lazy("Enter a whole number.")


class AddToCartForm(forms.Form):
    variant = forms.CharField(max_length=40)
    quantity = QuantityField(initial=1)


class CartQuantityForm(forms.Form):
    quantity = QuantityField()


class DestinationForm(forms.Form):
    """The cart page's "deliver to" estimate: country and postcode give shipping and VAT."""

    country = forms.ChoiceField(label=gettext_lazy("Country"))
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["country"].error_messages["required"] = gettext_lazy("Choose a country.")


# The postal part of an address, in form order; with ``vat_id`` it is what checkout keeps for
# the orders and what a saved address (``accounts.addresses.Address``) holds besides its label.
POSTAL_FIELDS = (
    "name",
    "company",
    "line1",
    "line2",
    "postcode",
    "city",
    "region",
    "country",
    "phone",
)
ADDRESS_FIELDS = (*POSTAL_FIELDS, "vat_id")


def address_values(address: Any) -> dict[str, str]:
    """A saved address as the values of :class:`AddressFields` (to prefill a form or to deliver
    to it)."""
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


class AddressFields(forms.Form):
    """A delivery address, as checkout and the address book ask for it."""

    name = forms.CharField(label=gettext_lazy("Full name"), max_length=100)
    company = forms.CharField(label=gettext_lazy("Company"), max_length=100, required=False)
    line1 = forms.CharField(label=gettext_lazy("Street and number"), max_length=200)
    line2 = forms.CharField(
        label=gettext_lazy("Apartment, floor, etc."), max_length=200, required=False
    )
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100)
    region = forms.CharField(
        label=gettext_lazy("Region or province"), max_length=100, required=False
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("For the carrier, if they need to reach you."),
    )
    vat_id = forms.CharField(
        label=gettext_lazy("VAT number (business buyers)"),
        max_length=32,
        required=False,
        help_text=gettext_lazy(
            "With a valid EU VAT number of another country than the seller's, VAT is "
            "reverse-charged: you pay the price without VAT and account for it yourself."
        ),
    )

    AUTOCOMPLETE = {
        "name": "name",
        "company": "organization",
        "line1": "address-line1",
        "line2": "address-line2",
        "postcode": "postal-code",
        "city": "address-level2",
        "region": "address-level1",
        "country": "country",
        "phone": "tel",
        "email": "email",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        messages = {
            "name": gettext_lazy("Enter the name of the person receiving the parcel."),
            "line1": gettext_lazy("Enter the street and house number."),
            "city": gettext_lazy("Enter the city."),
            "country": gettext_lazy("Choose a country."),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        for name, hint in self.AUTOCOMPLETE.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = hint

    def clean_vat_id(self) -> str:
        from agora.checkout.tax.compute import validate_vat_id

        value = self.cleaned_data.get("vat_id", "").strip()
        if not value:
            return ""
        try:
            return validate_vat_id(value)
        except AgoraError as exc:
            raise forms.ValidationError(
                problem_message(exc, field_message=exc.errors[0].message if exc.errors else "")
                if (get_language() or "en").startswith("en")
                else _("This VAT number is not valid. Start it with the country code, e.g. DE.")
            ) from exc

    def address(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(n, "") for n in POSTAL_FIELDS}


class CheckoutAddressForm(AddressFields):
    """Step 1 of checkout: where to. Guests also give an email for the receipt."""

    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        help_text=gettext_lazy("We send the order confirmation here."),
    )
    save_address = forms.BooleanField(
        label=gettext_lazy("Save this address in my address book"), required=False
    )

    field_order = ["email", "name", "company", "line1", "line2", "postcode", "city", "region"]

    def __init__(self, *args: Any, guest: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["email"]
        else:
            del self.fields["save_address"]
            self.fields["email"].error_messages["required"] = gettext_lazy("Enter your email.")
            self.fields["email"].error_messages["invalid"] = gettext_lazy(
                "Enter an email address like name@example.com."
            )


class AddressBookForm(AddressFields):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("For example: Home, Office."),
    )
    make_default = forms.BooleanField(
        label=gettext_lazy("Use as my default address"), required=False
    )
    field_order = ["label", "name", "company", "line1", "line2", "postcode", "city", "region"]


def _clean_card(value: str) -> str:
    card = "".join(value.split())
    if card.startswith("tok_"):
        return card
    if not card.isdigit() or not 12 <= len(card) <= 19:
        raise forms.ValidationError(
            _("Enter the card number: 12 to 19 digits, spaces allowed."), code="invalid"
        )
    return card


class PaymentForm(forms.Form):
    """Step 2 of checkout: a delivery method per seller and the card. ``token`` makes the
    submission idempotent: a double click or a retried request finds the same checkout."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=80)
    use_store_credit = forms.BooleanField(label=gettext_lazy("Use my store credit"), required=False)
    card = forms.CharField(
        label=gettext_lazy("Card number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "cc-number", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, sellers: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["card"].error_messages["required"] = gettext_lazy("Enter the card number.")
        if self.data.get("use_store_credit"):  # the credit may pay it all; checkout says if not
            self.fields["card"].required = False
        self.seller_fields: list[tuple[dict[str, Any], str]] = []
        for group in sellers:
            options = (group.get("shipping") or {}).get("options") or []
            name = f"ship_{group['seller']['id']}"
            self.fields[name] = forms.ChoiceField(
                label=_("Delivery from %(seller)s") % {"seller": group["seller"]["name"]},
                choices=[(o["method_id"], o["name"]) for o in options],
                widget=forms.RadioSelect,
                initial=options[0]["method_id"] if options else None,
                error_messages={"required": gettext_lazy("Choose a delivery method.")},
            )
            self.seller_fields.append((group, name))
        # A seller with reusable packaging to send: the buyer may opt in to its deposit.
        self.reusable_fields: list[tuple[dict[str, Any], str, ReusableOffer]] = []
        for group in sellers:
            offer = reusable_offer(group["seller"]["id"])
            currency = (group.get("subtotal") or {}).get("currency")
            if offer is None or offer.currency != currency:
                continue
            name = f"reusable_{group['seller']['id']}"
            self.fields[name] = forms.BooleanField(
                label=gettext_lazy("Ship in reusable packaging"), required=False
            )
            self.reusable_fields.append((group, name, offer))

    def reusable_choices(self) -> dict[str, ReusableOffer]:
        """The sellers (public id) whose orders the buyer wants in reusable packaging."""
        return {
            g["seller"]["id"]: offer
            for g, name, offer in self.reusable_fields
            if self.cleaned_data.get(name)
        }

    def clean_card(self) -> str:
        value = self.cleaned_data.get("card", "")
        return _clean_card(value) if value.strip() else ""

    def shipping_choices(self) -> dict[str, str]:
        return {g["seller"]["id"]: self.cleaned_data[name] for g, name in self.seller_fields}


class ThreeDSForm(forms.Form):
    result = forms.ChoiceField(choices=[("pass", "pass"), ("fail", "fail")])


class RegisterForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].error_messages["required"] = gettext_lazy("Enter your email.")
        self.fields["email"].error_messages["invalid"] = gettext_lazy(
            "Enter an email address like name@example.com."
        )
        self.fields["password1"].error_messages["required"] = gettext_lazy("Choose a password.")
        self.fields["password2"].error_messages["required"] = gettext_lazy(
            "Type the password again."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


RETURN_REASONS = [
    (OrderReturn.Reason.DAMAGED, gettext_lazy("Arrived damaged")),
    (OrderReturn.Reason.WRONG_ITEM, gettext_lazy("Wrong item sent")),
    (OrderReturn.Reason.NOT_AS_DESCRIBED, gettext_lazy("Not as described")),
    (OrderReturn.Reason.CHANGED_MIND, gettext_lazy("Changed my mind")),
    (OrderReturn.Reason.OTHER, gettext_lazy("Other reason")),
]


class ReturnForm(forms.Form):
    """Units to send back per line (0 keeps the line), the reason and the buyer's words."""

    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", gettext_lazy("Choose a reason")), *RETURN_REASONS],
        error_messages={"required": gettext_lazy("Choose a reason.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Tell the seller more (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line_fields: list[tuple[Any, str, int]] = []
        for line in lines:
            left = line.quantity - line.returned_quantity
            name = f"line_{line.line_no}"
            self.fields[name] = forms.IntegerField(
                label=line.title,
                min_value=0,
                max_value=left,
                initial=0,
                required=False,
                disabled=left == 0,
            )
            self.line_fields.append((line, name, left))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(name) for _, name, _left in self.line_fields) and not self.errors:
            raise forms.ValidationError(_("Choose at least one item to return."))
        return data

    def return_lines(self) -> list[tuple[int, int]]:
        return [
            (line.line_no, self.cleaned_data[name])
            for line, name, _left in self.line_fields
            if self.cleaned_data.get(name)
        ]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Key name"),
        max_length=100,
        help_text=gettext_lazy("Where you use it, e.g. “my order tracker”."),
        error_messages={"required": gettext_lazy("Give the key a name.")},
    )
