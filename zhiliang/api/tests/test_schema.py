"""/api/schema/ serves a valid OpenAPI 3 document describing every endpoint."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_it_serves_a_valid_openapi_document(client_as, office_admin):
    response = client_as(office_admin).get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/plans/",
        "/api/plans/{id}/",
        "/api/plans/{id}/contract/",
        "/api/tasks/",
        "/api/departments/",
        "/api/departments/{code}/",
    ]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/tasks/"]["get"]["parameters"]}
    assert {"plan", "department", "role", "limit", "offset"} <= parameters


def test_it_serves_yaml_by_default(client_as, office_admin):
    response = client_as(office_admin).get(reverse("api-schema"))

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Zhiliang API"
