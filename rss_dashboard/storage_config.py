"""Where uploads live, chosen by the environment: the local disk (default) or an S3-compatible store.

Every upload goes through `FileField` storage (`default_storage`) and every download streams from
it through a view that checks permission, so the choice is one setting. With several web processes,
use S3 or put `MEDIA_ROOT` on a volume every process mounts.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_REQUIRED = ("AWS_STORAGE_BUCKET_NAME",)


def default_storage_config(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry for STORAGE_BACKEND=local|s3 and the AWS_* variables."""
    backend = environ.get("STORAGE_BACKEND", "local").strip().lower() or "local"
    if backend == "local":
        return dict(LOCAL)
    if backend != "s3":
        raise ImproperlyConfigured(f"STORAGE_BACKEND={backend!r} must be local or s3.")
    missing = [name for name in S3_REQUIRED if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(f"STORAGE_BACKEND=s3 needs {', '.join(missing)}.")
    key, secret = environ.get("AWS_ACCESS_KEY_ID", ""), environ.get("AWS_SECRET_ACCESS_KEY", "")
    if bool(key.strip()) != bool(secret.strip()):
        raise ImproperlyConfigured(
            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (instance role)."
        )
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"AWS_S3_ENDPOINT_URL={endpoint!r} must be an http(s) URL.")
    options = {
        "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"].strip(),
        "location": environ.get("AWS_LOCATION", "uploads").strip(),
        # Private objects: downloads stream through the permission-checking views, never by URL.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"ContentDisposition": "attachment"},
    }
    optional = {
        "access_key": key.strip(),
        "secret_key": secret.strip(),
        "region_name": environ.get("AWS_S3_REGION_NAME", "").strip(),
        "endpoint_url": endpoint,
    }
    options.update({name: value for name, value in optional.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
