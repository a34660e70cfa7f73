import pytest

from tests.sellercenter.helpers import staff_client

pytestmark = pytest.mark.django_db

PAGES = [
    "/seller/",
    "/seller/status/",
    "/seller/products/",
    "/seller/products/new/",
    "/seller/products/upload/",
    "/seller/stock/",
    "/seller/orders/",
    "/seller/orders/pick-list/",
    "/seller/returns/",
    "/seller/money/",
    "/seller/webhooks/",
    "/seller/keys/",
    "/seller/apply/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders(seller, path) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    response = client.get(path)
    assert response.status_code == 200, response.content[:3000]
