import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.mark.django_db
def test_every_model_has_an_admin_page_that_renders(client, admin_user, seed):
    from django.apps import apps

    client.force_login(admin_user)
    for model in apps.get_app_config("corpus").get_models():
        assert model in admin.site._registry, f"{model.__name__} has no admin"
        url = reverse(f"admin:corpus_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_segments_are_read_only_in_the_admin(client, admin_user, seed):
    client.force_login(admin_user)
    segment = seed.segments.first()
    response = client.post(reverse("admin:corpus_segment_change", args=[segment.pk]), {"text": "changed"})
    assert response.status_code in {302, 403}
    segment.refresh_from_db()
    assert segment.text != "changed"
