"""Photo metadata: EXIF time (with its offset), GPS, camera, software, orientation, size.

Only headers are read: pixels are never decoded here, so an image that claims absurd
dimensions (a decompression bomb) is flagged, not expanded. A JPEG or PNG whose end marker is
missing is reported as truncated; its bytes are kept exactly as received.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from enquiry.enrich.base import FileEnricher
from enquiry.intake.extract import Extraction
from enquiry.intake.limits import open_picture

MAX_PIXELS = 89_478_485  # Pillow's own warning limit (MAX_IMAGE_PIXELS)

_TAGS = {
    "Image Make": "make",
    "Image Model": "model",
    "Image Software": "software",
    "Image Artist": "artist",
    "EXIF LensModel": "lens",
    "EXIF BodySerialNumber": "serial",
}


def _ratio(value: Any) -> float:
    return float(value.num) / float(value.den) if value.den else 0.0


def _gps(tags: dict[str, Any]) -> dict[str, float] | None:
    lat = tags.get("GPS GPSLatitude")
    lon = tags.get("GPS GPSLongitude")
    if lat is None or lon is None:
        return None
    try:

        def degrees(tag: Any) -> float:
            d, m, s = (_ratio(v) for v in tag.values[:3])
            return d + m / 60 + s / 3600

        latitude = degrees(lat)
        longitude = degrees(lon)
    except (ValueError, TypeError, ZeroDivisionError, IndexError, AttributeError):
        return None
    if str(tags.get("GPS GPSLatitudeRef", "N")).strip().upper().startswith("S"):
        latitude = -latitude
    if str(tags.get("GPS GPSLongitudeRef", "E")).strip().upper().startswith("W"):
        longitude = -longitude
    point = {"lat": round(latitude, 7), "lon": round(longitude, 7)}
    altitude = tags.get("GPS GPSAltitude")
    if altitude is not None:
        with contextlib.suppress(ValueError, TypeError, IndexError, AttributeError):
            point["alt"] = round(_ratio(altitude.values[0]), 2)
    return point


def _exif_time(tags: dict[str, Any]) -> tuple[str | None, str | None]:
    for name, offset_name in (
        ("EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal"),
        ("EXIF DateTimeDigitized", "EXIF OffsetTimeDigitized"),
        ("Image DateTime", "EXIF OffsetTime"),
    ):
        raw = str(tags.get(name, "")).strip()
        if raw and raw[:4].isdigit():
            stamp = raw[:19].replace(":", "-", 2).replace(" ", "T", 1)
            offset = str(tags.get(offset_name, "")).strip() or None
            return stamp, offset
    return None, None


def _complete(path: Path, media_type: str) -> bool:
    tail_marker = {"image/jpeg": b"\xff\xd9", "image/png": b"IEND\xaeB`\x82", "image/gif": b";"}
    marker = tail_marker.get(media_type)
    if marker is None:
        return True
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 64))
        tail = handle.read()
    return marker in tail.rstrip(b"\x00")


class PhotoMetadata(FileEnricher):
    """EXIF and header facts of still images."""

    name = "photo"
    version = "1"

    def accepts(self, media_type: str, kind: str) -> bool:
        return media_type.startswith("image/")

    def extract(self, path: Path, media_type: str) -> Extraction:
        import exifread
        from PIL import Image, UnidentifiedImageError

        logging.getLogger("exifread").setLevel(logging.CRITICAL)  # "no EXIF" is not a problem
        found = Extraction()
        meta = found.metadata
        try:
            with open_picture(path) as image:
                meta["width"], meta["height"] = image.size
                meta["format"] = image.format
                meta["mode"] = image.mode
                frames = getattr(image, "n_frames", 1)
                if frames > 1:
                    meta["frames"] = frames
        except Image.DecompressionBombError as exc:
            # Pillow refuses to open it at all; its own limit guards every later decode too.
            found.problems.append(
                f"decompression bomb suspected ({exc}); pixels will not be decoded"
            )
            meta["hostile"] = "decompression bomb"
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            found.problems.append(f"image header unreadable ({exc})"[:200])
        width, height = meta.get("width", 0), meta.get("height", 0)
        if width * height > MAX_PIXELS:
            found.problems.append(
                f"image claims {width}×{height} pixels: decompression bomb suspected;"
                " pixels will not be decoded"
            )
            meta["hostile"] = "decompression bomb"
        try:
            with path.open("rb") as handle:
                tags = exifread.process_file(handle, details=False)
        except Exception as exc:  # exifread raises many kinds on hostile input
            found.problems.append(f"EXIF unreadable ({type(exc).__name__})")
            tags = {}
        taken, offset = _exif_time(tags)
        if taken:
            meta["taken_at"] = taken
            try:
                datetime.fromisoformat(taken)
            except ValueError:
                found.problems.append(f"EXIF time '{taken}' is impossible (no such date or hour)")
                meta["impossible_time"] = True
        if offset:
            meta["offset"] = offset
        gps = _gps(tags)
        if gps:
            meta["gps"] = gps
        for tag, key in _TAGS.items():
            value = str(tags.get(tag, "")).strip()
            if value:
                meta[key] = value[:200]
        orientation = tags.get("Image Orientation")
        if orientation is not None:
            meta["orientation"] = str(orientation)
        meta["exif"] = bool(tags)
        if not _complete(path, media_type):
            found.problems.append(
                f"truncated {media_type.split('/')[1].upper()}: end marker missing"
            )
            meta["truncated"] = True
        return found
