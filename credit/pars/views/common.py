from django.http import FileResponse, StreamingHttpResponse


def stream(rendered):
    """Wrap a renderer's (filename, content_type, body): a file object or an iterator of bytes."""
    filename, content_type, body = rendered
    if hasattr(body, "read"):
        response = FileResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
