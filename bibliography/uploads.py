"""Files editors upload (paper PDFs, slides, posters, preview images, author photos).

One module for every rule about them: the type is decided by the bytes, never by the
name or the browser's Content-Type (an HTML page or an SVG renamed to .pdf is refused);
the size is bounded by `settings.UPLOAD_MAX_BYTES`; the stored name is generated
(a random token plus the extension of the type found), so nothing the uploader typed
reaches a path. Files go through `default_storage` (`STORAGES["default"]`), so a
deployment can swap the file system for object storage without code changes.
"""

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from PIL import Image, ImageOps, UnidentifiedImageError

# Longest side, in pixels, of a preview image or photo once resized.
THUMBNAIL_SIZE = 480
# A decompression bomb (a tiny PNG that unpacks to gigapixels) is refused before decoding;
# 25 megapixels (a phone photo is 12) bounds what a thumbnail costs to ~100 MB of memory.
MAX_IMAGE_PIXELS = 25_000_000
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
NOT_AN_IMAGE = _("This is not a PNG, JPEG, WebP or GIF image.")


def _check_size(upload):
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _head(upload, length=1024) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def image_format(upload) -> str:
    """The extension of an image the bytes really are (png, jpg, webp, gif), checked by
    Pillow; raises ValidationError for anything else (SVG, HTML, a truncated file)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large in pixels."), code="too_many_pixels"
                )
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
    return IMAGE_FORMATS[kind]


def document_format(upload) -> str:
    """The extension of a document file by its bytes: a PDF (starts with %PDF-) or an
    image; raises ValidationError for anything else."""
    if _head(upload, 5) == b"%PDF-":
        return "pdf"
    try:
        return image_format(upload)
    except ValidationError:
        raise ValidationError(
            _(
                "Upload a PDF or an image (PNG, JPEG, WebP, GIF); this file is neither, "
                "whatever its name says."
            ),
            code="bad_type",
        ) from None


def validate_document(upload):
    """Field validator of hosted files (PDF, slides, poster, supplement)."""
    if getattr(upload, "_committed", True):
        return  # already stored: checked when it was uploaded
    _check_size(upload)
    document_format(upload)


def validate_image(upload):
    """Field validator of preview images and photos."""
    if getattr(upload, "_committed", True):
        return
    check_image(upload)


def check_image(upload) -> str:
    """The extension of an image file that may be stored (size and bytes checked), or
    ValidationError saying why not: the rule of every image that comes in, by any road."""
    _check_size(upload)
    return image_format(upload)


def generated_name(folder: str, extension: str) -> str:
    """A storage name no uploader controls: folder/<random token>.<extension>."""
    return f"{folder}/{secrets.token_urlsafe(12)}.{extension}"


def document_upload_to(instance, filename):
    # The extension comes from the bytes, not from `filename` (an uploader's text).
    return generated_name("files", document_format(instance.file))


def thumbnail(upload) -> ContentFile:
    """The image resized to at most THUMBNAIL_SIZE pixels a side, re-encoded (PNG when it
    has transparency, JPEG otherwise), which also drops any metadata (EXIF, GPS)."""
    upload.seek(0)
    with Image.open(upload) as original:
        # Phones store portraits sideways with an orientation tag, which re-encoding drops.
        image = ImageOps.exif_transpose(original)
        image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        keep_alpha = image.mode in ("RGBA", "LA") or (
            image.mode == "P" and "transparency" in image.info
        )
        out = io.BytesIO()
        if keep_alpha:
            image.convert("RGBA").save(out, "PNG", optimize=True)
            extension = "png"
        else:
            image.convert("RGB").save(out, "JPEG", quality=85)
            extension = "jpg"
    upload.seek(0)
    content = ContentFile(out.getvalue())
    content.extension = extension
    return content


class ThumbnailField(models.FileField):
    """An image stored resized to a thumbnail under a generated name in `folder`."""

    def __init__(self, *args, folder="images", **kwargs):
        self.folder = folder
        kwargs.setdefault("validators", [validate_image])
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["folder"] = self.folder
        kwargs.pop("validators", None)
        if kwargs.get("max_length") == 200:
            kwargs.pop("max_length")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            small = thumbnail(file)
            file.save(generated_name(self.folder, small.extension), small, save=False)
        return file


def serve_upload(request, path, document_root=None):
    """Development's view of MEDIA_ROOT (production serves it from the web server, see the
    README): as a download-safe response, so a file a browser might sniff as HTML never
    runs as a page of the site."""
    response = serve(request, path, document_root=document_root)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
