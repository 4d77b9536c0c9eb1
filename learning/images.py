"""Photos of a bedrijfsfiche: accept real images only, and keep nothing of the upload but pixels.

An upload is read with Pillow, never trusted by its name or its declared content type:

* at most ``MAX_UPLOAD_BYTES`` bytes and ``MAX_PIXELS`` pixels (a decompression bomb — a small
  file that decodes into gigabytes — is refused before it is decoded);
* ``Image.open`` + ``verify`` sniff the real format; only JPEG, PNG and WebP pass (not SVG, GIF,
  a PDF renamed ``.jpg``, an animated WebP or PNG);
* the verified file is opened again (``verify`` leaves the image unusable), turned upright from
  its EXIF orientation, flattened on white, scaled down to ``MAX_SIDE`` pixels and **re-encoded
  as a new JPEG without any metadata** (EXIF, GPS, XMP, ICC comments: none survive).

What comes out is the only thing stored (``learning.services.bedrijfsfiches``), under a random
name in the private storage.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB: a phone photo is 2–6 MB
MAX_PIXELS = 40_000_000  # 40 megapixels: more than any phone camera, far less than a bomb
MAX_SIDE = 2000  # the stored photo's longest side, in pixels
JPEG_QUALITY = 85
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
CONTENT_TYPE = "image/jpeg"  # what is stored and served

NOT_AN_IMAGE = _("This file is not a photo. Upload a JPEG, PNG or WebP image.")
WRONG_FORMAT = _("Only JPEG, PNG and WebP photos are accepted (this one is %(format)s).")
ANIMATED = _("Animated images are not accepted. Upload a still JPEG, PNG or WebP photo.")
TOO_LARGE = _("The photo is too large (at most %(mb)s MB).")
TOO_MANY_PIXELS = _("The photo has too many pixels (at most %(mp)s megapixels).")
EMPTY = _("The file is empty.")


@dataclass(frozen=True)
class CleanImage:
    content: bytes  # a JPEG without metadata
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    """Open ``data`` (reads the header only); Pillow's own bomb check becomes an error.

    ``clean_image`` refuses anything above ``MAX_PIXELS`` before decoding; Pillow's global
    ``Image.MAX_IMAGE_PIXELS`` (left as it is, shared by the process) is a second net.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def clean_image(upload: UploadedFile | bytes) -> CleanImage:
    """The upload re-encoded as a metadata-free JPEG, or ``ValidationError`` (Dutch message)."""
    if isinstance(upload, bytes):
        data = upload
    else:
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                TOO_LARGE, code="too_large", params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        upload.seek(0)
        data = upload.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ValidationError(EMPTY, code="empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            TOO_LARGE, code="too_large", params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    too_many = ValidationError(
        TOO_MANY_PIXELS, code="too_many_pixels", params={"mp": MAX_PIXELS // 1_000_000}
    )
    # 1. Sniff and verify the real format (the name and the browser's content type count for
    #    nothing).
    try:
        probe = _open(data)
        image_format = probe.format or ""
        if image_format not in ALLOWED_FORMATS:
            raise ValidationError(
                WRONG_FORMAT, code="format", params={"format": image_format or "?"}
            )
        if probe.width * probe.height > MAX_PIXELS:
            raise too_many
        if getattr(probe, "is_animated", False) or getattr(probe, "n_frames", 1) > 1:
            raise ValidationError(ANIMATED, code="animated")
        probe.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many from error
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    # 2. Decode for real (verify() leaves the image unusable), upright, flattened, smaller.
    try:
        image = _open(data)
        image.load()
        image = ImageOps.exif_transpose(image) or image
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        # A fresh image holds pixels only: no info dict, no EXIF, no ICC profile, no XMP.
        clean = Image.new("RGB", image.size)
        clean.paste(image)
        out = io.BytesIO()
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    return CleanImage(content=out.getvalue(), width=clean.width, height=clean.height)
