"""The admin login page is German, the password field's label included."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_login_form_labels_are_german(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    labels = {
        target: " ".join(re.sub(r"<[^>]+>", " ", text).split()).rstrip("*").strip()
        for target, text in re.findall(
            r'<label[^>]*for="(id_\w+)"[^>]*>(.*?)</label>', response.content.decode(), re.S
        )
    }
    assert labels["id_username"] == "Benutzername"
    assert labels["id_password"] == "Passwort"  # Wagtail's form leaves it "Password"
