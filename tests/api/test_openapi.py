def test_openapi_document_is_3_1(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/products" in document["paths"]
    assert "/api/v1/seller/products" in document["paths"]


def test_docs_page_served_without_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content
