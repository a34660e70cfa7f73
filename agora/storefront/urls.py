from django.contrib.auth import views as auth_views
from django.urls import path

from agora.storefront.views import account, browse, cart, checkout, orders, pages, security

app_name = "storefront"
urlpatterns = [
    path("", pages.home, name="home"),
    path("currency/", pages.set_currency, name="set_currency"),
    path("c/<slug:slug>/", browse.category, name="category"),
    path("p/<str:public_id>/", browse.product, name="product"),
    path("search/", browse.search, name="search"),
    path("search/suggest/", browse.suggestions, name="suggest"),
    path("problems/", pages.problem_index, name="problems"),
    path("accounts/login/", security.LoginView.as_view(), name="login"),
    path("accounts/login/verify/", security.login_verify, name="login_verify"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("problems/<slug:slug>", pages.problem_detail, name="problem"),
    # buying: cart, checkout, orders, account (views/cart.py, checkout.py, orders.py, account.py)
    path("cart/", cart.cart_page, name="cart"),
    path("cart/add/", cart.cart_add_view, name="cart_add"),
    path("cart/lines/<str:variant_id>/", cart.cart_update_view, name="cart_update"),
    path("cart/lines/<str:variant_id>/remove/", cart.cart_remove_view, name="cart_remove"),
    path("cart/destination/", cart.cart_destination_view, name="cart_destination"),
    path("checkout/", checkout.checkout_page, name="checkout"),
    path("checkout/address/", checkout.checkout_address, name="checkout_address"),
    path("checkout/<str:checkout_id>/3ds/", checkout.checkout_3ds, name="checkout_3ds"),
    path("checkout/<str:checkout_id>/done/", checkout.checkout_done, name="checkout_done"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:order_id>/", orders.order_detail, name="order_detail"),
    path("orders/<str:order_id>/return/", orders.order_return, name="order_return"),
    path("accounts/register/", account.register, name="register"),
    path("account/", account.account, name="account"),
    path("account/password/", account.password, name="password"),
    path("account/addresses/", account.addresses, name="addresses"),
    path("account/addresses/<str:address_id>/", account.address_edit, name="address_edit"),
    path(
        "account/addresses/<str:address_id>/delete/",
        account.address_remove,
        name="address_delete",
    ),
    path(
        "account/addresses/<str:address_id>/default/",
        account.address_default,
        name="address_default",
    ),
    path("account/api-keys/", account.api_keys, name="api_keys"),
    # issue 8 item 7: account security (views/security.py)
    path("account/security/", security.security, name="security"),
    path("account/security/2fa/", security.two_factor_enrol, name="two_factor"),
    path("account/security/2fa/off/", security.two_factor_disable, name="two_factor_off"),
    path("account/security/2fa/codes/", security.recovery_codes_renew, name="recovery_codes"),
    path(
        "account/security/sessions/<int:session_id>/revoke/",
        security.session_revoke,
        name="session_revoke",
    ),
    path(
        "account/security/sessions/revoke-others/",
        security.session_revoke_others,
        name="session_revoke_others",
    ),
    path("account/api-keys/<str:key_id>/revoke/", account.api_key_revoke, name="api_key_revoke"),
]
