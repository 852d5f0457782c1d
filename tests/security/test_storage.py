"""Uploads go through the configured storage: local by default, S3-compatible by settings."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from activities.models import ChildFile
from rss_dashboard.storage_config import default_storage_config
from tests import factories as f
from tests.activities import uploads_data as data

S3 = {
    "STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "rss-uploads",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_S3_REGION_NAME": "us-east-2",
    "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000",
}


def test_the_default_is_the_local_disk():
    assert default_storage_config({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert default_storage_config({"STORAGE_BACKEND": "local"})["BACKEND"].endswith(
        "FileSystemStorage"
    )


def test_s3_is_built_from_the_environment_as_a_private_store():
    config = default_storage_config(S3)
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"] == {
        "bucket_name": "rss-uploads",
        "location": "uploads",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"ContentDisposition": "attachment"},
        "access_key": "AKIAEXAMPLE",
        "secret_key": "secret",
        "region_name": "us-east-2",
        "endpoint_url": "https://minio.internal:9000",
    }


def test_the_s3_storage_class_accepts_the_options_without_the_network(settings):
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**default_storage_config(S3)["OPTIONS"])
    assert storage.bucket_name == "rss-uploads" and storage.location == "uploads"
    assert storage.endpoint_url == "https://minio.internal:9000"
    assert storage.file_overwrite is False


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"STORAGE_BACKEND": "ftp"}, "must be local or s3"),
        ({"STORAGE_BACKEND": "s3"}, "needs AWS_STORAGE_BUCKET_NAME"),
        ({**S3, "AWS_SECRET_ACCESS_KEY": ""}, "Set both AWS_ACCESS_KEY_ID"),
        ({**S3, "AWS_S3_ENDPOINT_URL": "minio:9000"}, "must be an http"),
    ],
)
def test_a_bad_storage_setting_stops_the_start_with_a_clear_message(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        default_storage_config(environ)


@pytest.mark.django_db
def test_uploads_and_downloads_go_through_the_configured_storage(client, tmp_path):
    coordinator = f.person(email="cora@umich.edu")
    child = f.child(f.parent(coordinators=[coordinator]))
    stored = ChildFile(child=child, kind="supporting", original_name="a.pdf", size=len(data.PDF))
    stored.file.save("ignored-name.pdf", data.upload("a.pdf", data.PDF), save=False)
    stored.save()
    assert isinstance(stored.file.storage, type(storages["default"]))
    assert default_storage.exists(stored.file.name)
    assert "ignored-name" not in stored.file.name  # random storage names
    client.force_login(coordinator)
    response = client.get(reverse("child_file_download", args=[stored.pk]))
    assert response.streaming and b"".join(response.streaming_content) == data.PDF
    assert response["Content-Disposition"].startswith("attachment")
