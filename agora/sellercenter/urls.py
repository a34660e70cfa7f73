from django.urls import path

from agora.sellercenter.views import (
    bulk,
    dashboard,
    delivery_modes,
    green_dashboard,
    insights,
    integrations,
    money,
    notices,
    onboarding,
    orders,
    products,
    rentals,
    resale,
    returns,
    stock,
    sustainability,
    traceability,
)

app_name = "sellercenter"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("apply/", onboarding.apply, name="apply"),
    path("status/", onboarding.status, name="status"),
    path("switch/", onboarding.switch, name="switch"),
    # products
    path("products/", products.product_list, name="products"),
    path("products/new/", products.product_new, name="product_new"),
    path("products/upload/", bulk.upload, name="upload"),
    path("products/upload/template.csv", bulk.upload_template, name="upload_template"),
    path("products/<str:product_id>/", products.product_edit, name="product_edit"),
    path(
        "products/<str:product_id>/publish/",
        products.product_status,
        {"action": "publish"},
        name="product_publish",
    ),
    path(
        "products/<str:product_id>/unpublish/",
        products.product_status,
        {"action": "unpublish"},
        name="product_unpublish",
    ),
    path("products/<str:product_id>/variants/", products.variant_new, name="variant_new"),
    path("products/<str:product_id>/media/", products.media_new, name="media_new"),
    path("variants/<str:variant_id>/", products.variant_edit, name="variant_edit"),
    # stock
    path("stock/", stock.stock_matrix, name="stock"),
    path("stock/locations/", stock.location_new, name="location_new"),
    path("stock/<str:variant_id>/", stock.stock_variant, name="stock_variant"),
    # orders and fulfilment
    path("orders/", orders.order_list, name="orders"),
    path("orders/pick-list/", orders.pick_list, name="pick_list"),
    path("orders/<str:order_id>/", orders.order_detail, name="order_detail"),
    path("orders/<str:order_id>/pick-list/", orders.pick_list, name="order_pick_list"),
    path("orders/<str:order_id>/shipments/", orders.shipment_new, name="shipment_new"),
    path("shipments/<str:shipment_id>/status/", orders.shipment_status, name="shipment_status"),
    path("shipments/<str:shipment_id>/packing-slip/", orders.packing_slip, name="packing_slip"),
    # returns
    path("returns/", returns.return_list, name="returns"),
    path("returns/<str:return_id>/", returns.return_detail, name="return_detail"),
    path(
        "returns/<str:return_id>/approve/",
        returns.return_decide,
        {"decision": "approve"},
        name="return_approve",
    ),
    path(
        "returns/<str:return_id>/reject/",
        returns.return_decide,
        {"decision": "reject"},
        name="return_reject",
    ),
    path("returns/<str:return_id>/receive/", returns.return_receive_view, name="return_receive"),
    path("returns/<str:return_id>/refund/", returns.return_refund_view, name="return_refund"),
    # money
    path("money/", money.money, name="money"),
    path("money/payouts/", money.payout, name="payout"),
    # webhooks and API keys
    path("webhooks/", integrations.endpoints, name="webhooks"),
    path("webhooks/<str:endpoint_id>/", integrations.endpoint_detail, name="endpoint_detail"),
    path(
        "webhooks/<str:endpoint_id>/disable/",
        integrations.endpoint_enable,
        {"enabled": False},
        name="endpoint_disable",
    ),
    path(
        "webhooks/<str:endpoint_id>/enable/",
        integrations.endpoint_enable,
        {"enabled": True},
        name="endpoint_enable",
    ),
    path(
        "webhooks/<str:endpoint_id>/deliveries/<str:delivery_id>/replay/",
        integrations.delivery_replay,
        name="delivery_replay",
    ),
    # traceability (EPCIS events, batches, labels)
    path("traceability/", traceability.overview, name="traceability"),
    path("traceability/upload/", traceability.upload, name="traceability_upload"),
    path("traceability/batch/", traceability.batch, name="traceability_batch"),
    path("traceability/labels/", traceability.labels, name="traceability_labels"),
    # sustainability (product footprints, green labels)
    path("sustainability/", sustainability.overview, name="sustainability"),
    path("sustainability/delivery/", delivery_modes.delivery_modes, name="delivery_modes"),
    # rentals (issue 7 C1)
    path("rentals/", rentals.rental_list, name="rentals"),
    path(
        "rentals/<str:booking_id>/hand-over/",
        rentals.rental_action,
        {"action": "hand_over"},
        name="rental_hand_over",
    ),
    path(
        "rentals/<str:booking_id>/return/",
        rentals.rental_action,
        {"action": "return"},
        name="rental_return",
    ),
    path(
        "rentals/<str:booking_id>/inspect/",
        rentals.rental_action,
        {"action": "inspect"},
        name="rental_inspect",
    ),
    # moderation notices and appeals (issue 8 item 6)
    path("notices/", notices.notice_list, name="notices"),
    # resale (issue 7 C2)
    path("resale/", resale.resale_list, name="resale"),
    path("resale/new/", resale.resale_new, name="resale_new"),
    path("resale/<str:request_id>/", resale.resale_detail, name="resale_detail"),
    # sustainability dashboard and reusable packaging (issue 7 C4)
    path("green/", green_dashboard.green_dashboard, name="green"),
    path("green/pack/", green_dashboard.packaging_pack, name="green_pack"),
    path("green/take-back/", green_dashboard.packaging_take_back, name="green_take_back"),
    # buyer insights with differential privacy (issue 8 item 4)
    path("insights/", insights.insights, name="insights"),
    path("insights/release/", insights.insights_release, name="insights_release"),
    path("keys/", integrations.api_keys, name="api_keys"),
    path("keys/<str:key_id>/revoke/", integrations.api_key_revoke_view, name="api_key_revoke"),
]
