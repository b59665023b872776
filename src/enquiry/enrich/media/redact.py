"""Redacted copies of photos and videos: faces and given regions covered, all metadata gone.

A cover is not a blur. A Gaussian blur keeps the low frequencies a face-recognition model needs
and can be partly undone; here a covered region is replaced by a mosaic of at most
``MOSAIC_CELLS`` cells on its long side, each the mean colour of the pixels under it (nothing
finer than a quarter of a face survives), or by a flat grey fill (``fill``: nothing survives).

Metadata is not removed tag by tag, which misses what a list of tags does not know (maker notes,
XMP packets, IPTC blocks, ICC profile descriptions, PNG text chunks, a container's tags and
chapters): the picture is decoded to pixels and a new file is encoded from the pixels alone.
Colours given by an embedded ICC profile are converted to sRGB first, so dropping the profile
does not change them. For video, every frame is decoded, covered and encoded again (H.264 in
MP4, written with FFmpeg's bitexact flag so the muxer stamps no encoder tag); audio, which can
carry a voice, is kept only when asked for, re-encoded without its tags.

The functions here run on a private copy of the original, in a child process under the decode
limits (:mod:`enquiry.intake.limits`); they return a plain dict (an ``error`` line, or what was
done) so that a hostile file's failure comes back as words, not as a crash.
"""

from __future__ import annotations

import io
import math
import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from enquiry.enrich.media.faces import SEARCH_TURNS, VIDEO_MAX_SIDE, Box, FaceDetector
from enquiry.enrich.media.frames import Orientation, frame_orientation
from enquiry.enrich.photo import MAX_PIXELS
from enquiry.enrich.video import picture_stream
from enquiry.intake.limits import open_picture

STYLES = ("mosaic", "fill")
MOSAIC_CELLS = 4
FILL_GREY = 128
JPEG_QUALITY = 92
VIDEO_CRF = 20
# A face found in one frame is also covered this long before and after it: a detector that
# misses a face in a frame or two (motion blur, a turn of the head) does not let it through.
HOLD_S = 0.25
# Faces are looked for in one frame of every DETECT_EVERY_S of video (five a second), and what
# is found is covered from the frame before the previous look to the frame after the next (with
# HOLD_S on either side): a person does not cross the distance the grown box leaves in that
# time, and detection in every frame would make a minute of 720p take most of an hour.
DETECT_EVERY_S = 0.2
VIDEO_SCALE_FACTOR = 1.2
VERSION = "1"

_REGION = re.compile(r"^\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*$")


@dataclass(frozen=True)
class Request:
    """What to cover: detected faces, given regions (in the upright picture's pixels), how."""

    faces: bool = False
    regions: tuple[Box, ...] = ()
    style: str = "mosaic"
    keep_audio: bool = False


def parse_regions(texts: Iterable[str]) -> tuple[Box, ...]:
    """``x,y,w,h`` boxes, several per text when separated by ``;`` or spaces.

    Raises ``ValueError`` with a line naming the text at fault."""
    boxes: list[Box] = []
    for text in texts:
        for part in re.split(r"[;\s]+(?=-?\d)", text.strip()):
            if not part.strip():
                continue
            found = _REGION.match(part)
            if found is None:
                raise ValueError(f"--regions '{part.strip()}': expected x,y,w,h in whole pixels")
            x, y, w, h = (int(v) for v in found.groups())
            if x < 0 or y < 0 or w <= 0 or h <= 0:
                raise ValueError(
                    f"--regions '{part.strip()}': x and y must be 0 or more, w and h above 0"
                )
            boxes.append((x, y, w, h))
    return tuple(boxes)


def outside(regions: Sequence[Box], width: int, height: int) -> Box | None:
    """The first region that does not lie wholly within a ``width``×``height`` picture."""
    for x, y, w, h in regions:
        if x + w > width or y + h > height:
            return (x, y, w, h)
    return None


def cover(pixels: NDArray[np.uint8], box: Box, style: str) -> None:
    """Cover ``box`` of ``pixels`` (H×W×C) in place, beyond recognition."""
    x, y, w, h = box
    patch = pixels[y : y + h, x : x + w]
    if patch.size == 0:
        return
    if style == "fill":
        patch[...] = FILL_GREY
        if patch.shape[-1] == 4:
            patch[..., 3] = 255
        return
    cell = max(1, math.ceil(max(patch.shape[0], patch.shape[1]) / MOSAIC_CELLS))
    for top in range(0, patch.shape[0], cell):
        for left in range(0, patch.shape[1], cell):
            block = patch[top : top + cell, left : left + cell]
            block[...] = block.reshape(-1, block.shape[-1]).mean(axis=0).round().astype(np.uint8)


def _cover_all(pixels: NDArray[np.uint8], boxes: Iterable[Box], style: str) -> None:
    for box in boxes:
        cover(pixels, box, style)


def settings(request: Request, detector: FaceDetector | None) -> dict[str, Any]:
    """The transformation's parameters, as the derived item records them."""
    recorded: dict[str, Any] = {
        "engine": f"enquiry.redact {VERSION}",
        "style": request.style,
        "regions": [list(r) for r in request.regions],
        "faces": request.faces,
        "metadata": "removed (re-encoded from pixels)",
    }
    if request.style == "mosaic":
        recorded["mosaic_cells"] = MOSAIC_CELLS
    if detector is not None:
        recorded["detector"] = detector.describe()
    return recorded


# --- photos --------------------------------------------------------------------------------------


def _eight_bit(image: Any) -> Any:
    """A 16-bit or 32-bit greyscale picture as 8-bit grey, scaled as viewers show it.

    Pillow's own conversion clips such pixels at 255 rather than scaling them: a 16-bit
    greyscale PNG or TIFF came out a white sheet in which no face could be found."""
    from PIL import Image

    values = np.asarray(image, dtype=np.float64)
    if image.mode == "F" and values.size and float(np.nanmax(values)) <= 1.0:
        values = values * 255.0
    elif image.mode.startswith("I;16") or (values.size and float(np.nanmax(values)) > 255):
        values = values / 257.0
    grey = np.clip(np.nan_to_num(values), 0, 255).round().astype(np.uint8)
    return Image.fromarray(grey)


def hide_under_transparency(pixels: NDArray[np.uint8]) -> bool:
    """Reduce the colour of see-through pixels (RGBA, in place) to what can be seen of it.

    A fully transparent pixel still holds a colour that no viewer shows and any program reads:
    an editor's eraser, or a hostile file, can leave a whole face there, and a reviewer looking
    at the redaction sees nothing to object to. Each colour is multiplied by its opacity and
    divided again, so an opaque pixel keeps its colour, a transparent one becomes black, and a
    faint one keeps no more precision than it shows. Returns whether any pixel changed."""
    if bool((pixels[..., 3] == 255).all()):
        return False
    alpha = pixels[..., 3:4].astype(np.uint16)  # 255 × 255 + 127 fits in 16 bits
    colour = pixels[..., :3].astype(np.uint16)
    shown = (colour * alpha + 127) // 255
    kept = np.where(alpha > 0, (shown * 255 + alpha // 2) // np.maximum(alpha, 1), 0)
    kept = np.minimum(kept, 255).astype(np.uint8)
    changed = bool((kept != pixels[..., :3]).any())
    pixels[..., :3] = kept
    return changed


def _upright_pixels(path: Path) -> tuple[NDArray[np.uint8], str, dict[str, Any]]:
    """The picture as a viewer shows it (orientation applied, colours in sRGB, 8 bits a
    channel, nothing left under transparent pixels), its format, and what was done to it.

    Raises ``ValueError`` with the reason for pictures that cannot or must not be decoded."""
    from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

    try:
        with open_picture(path) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError(
                    f"the picture claims {width}×{height} pixels: a decompression bomb is "
                    "suspected, so it is not decoded"
                )
            notes: dict[str, Any] = {}
            frames = getattr(image, "n_frames", 1)
            source_format = str(image.format)
            if frames > 1 and source_format == "MPO":
                # A phone's JPEG often carries further pictures after the first (a gain map,
                # a depth map, a second view): the first is the photo a viewer shows, the rest
                # are dropped with everything else that is not its pixels.
                notes["pictures_dropped"] = frames - 1
            elif frames > 1:
                raise ValueError(
                    f"an animated or multi-page picture ({frames} frames) cannot be redacted"
                )
            # Read before loading: Pillow's TIFF reader applies the orientation as it loads.
            turned = image.getexif().get(0x0112, 1)
            image.load()
            icc = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            if turned in range(2, 9):
                notes["exif_orientation"] = turned
            alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            if icc and upright.mode in ("RGB", "RGBA", "CMYK", "L"):
                try:
                    converted = ImageCms.profileToProfile(
                        upright,
                        ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                        ImageCms.createProfile("sRGB"),
                        outputMode="RGBA" if upright.mode == "RGBA" else "RGB",
                    )
                    if converted is not None:
                        upright = converted
                except (ImageCms.PyCMSError, OSError, ValueError):
                    pass  # a broken profile: the pixels are kept as they are, the profile goes
            if upright.mode.startswith("I;16") or upright.mode in ("I", "F"):
                upright = _eight_bit(upright)
                notes["depth"] = "reduced to 8 bits a channel"
            pixels = np.array(upright.convert("RGBA" if alpha else "RGB"), dtype=np.uint8)
            if alpha and hide_under_transparency(pixels):
                notes["transparency"] = "colour under transparent pixels reduced to what shows"
    except Image.DecompressionBombError:
        raise ValueError(
            "the picture is a suspected decompression bomb, so it is not decoded"
        ) from None
    except (UnidentifiedImageError, SyntaxError) as exc:
        raise ValueError(f"not a readable picture ({exc})") from None
    except OSError as exc:
        raise ValueError(f"the picture cannot be decoded: damaged or truncated ({exc})") from None
    return pixels, source_format, notes


def redact_photo(source: Path, target_stem: Path, request: Request) -> dict[str, Any]:
    """Write the redacted photo next to ``target_stem`` (``.jpg`` for a JPEG, else ``.png``)."""
    from PIL import Image

    try:
        pixels, source_format, notes = _upright_pixels(source)
    except ValueError as exc:
        return {"error": str(exc)}
    height, width = pixels.shape[:2]
    bad = outside(request.regions, width, height)
    if bad is not None:
        return {
            "error": f"--regions {','.join(map(str, bad))}: outside the {width}×{height} picture",
            "bad_request": True,
        }
    detector = FaceDetector(turns=SEARCH_TURNS) if request.faces else None
    faces = detector.detect(pixels[..., :3]) if detector else []
    _cover_all(pixels, [*faces, *request.regions], request.style)
    jpeg = source_format in ("JPEG", "MPO") and pixels.shape[-1] == 3
    target = target_stem.with_suffix(".jpg" if jpeg else ".png")
    # A new image made from the array carries no info dict: nothing of the original's
    # metadata can ride along into the encoder.
    fresh = Image.fromarray(pixels)
    if jpeg:
        fresh.save(target, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        fresh.save(target, format="PNG", optimize=False)
    recorded = settings(request, detector)
    recorded.update(
        {
            "width": width,
            "height": height,
            "faces_found": [list(box) for box in faces],
            **notes,
            "output": "image/jpeg" if jpeg else "image/png",
            **({"jpeg_quality": JPEG_QUALITY} if jpeg else {}),
        }
    )
    return {"path": str(target), "media_type": recorded["output"], "transformation": recorded}


# --- video ---------------------------------------------------------------------------------------


def _even(pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Pad an odd width or height by one edge pixel: 4:2:0 video needs even sizes."""
    height, width = pixels.shape[:2]
    if height % 2 == 0 and width % 2 == 0:
        return pixels
    return np.pad(pixels, ((0, height % 2), (0, width % 2), (0, 0)), mode="edge")


def _first_orientation(source: Path, index: int) -> Orientation:
    """The placement of stream ``index``'s first frame (none when no frame is decoded: the
    redaction's own pass then says what is wrong with the file)."""
    import av

    try:
        with av.open(str(source), metadata_errors="replace") as container:
            for frame in container.decode(container.streams[index]):
                return frame_orientation(frame)
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError, IndexError):
        pass
    return Orientation()


def _pixel_aspect(video: Any) -> Fraction:
    """The stream's sample (pixel) aspect ratio, 1 when square, unknown or implausible."""
    for source in (video, video.codec_context):
        ratio = getattr(source, "sample_aspect_ratio", None)
        if ratio:
            ratio = Fraction(ratio)
            return ratio if Fraction(1, 4) <= ratio <= 4 else Fraction(1)
    return Fraction(1)


def _widened(pixels: NDArray[np.uint8], width: int) -> NDArray[np.uint8]:
    """``pixels`` scaled to ``width`` columns, its height kept."""
    import cv2

    shrink = width < pixels.shape[1]
    method = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(pixels, (max(1, width), pixels.shape[0]), interpolation=method))


def redact_video(
    source: Path,
    target_stem: Path,
    request: Request,
    counter: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Decode every frame, cover faces and regions, encode it again into ``target_stem.mp4``.

    ``counter(n)`` is told how many frames are done so far (for a progress bar)."""
    import av

    try:
        container = av.open(str(source), metadata_errors="replace")
    except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        return {"error": f"the video cannot be opened: damaged, truncated or not a video ({exc})"}
    target = target_stem.with_suffix(".mp4")
    with container:
        video = picture_stream(container)
        if video is None:
            if container.streams.video:
                return {"error": "the file holds no video, only a cover picture"}
            return {"error": "the file holds no video stream"}
        audio = next((s for s in container.streams if s.type == "audio"), None)
        source_index = int(video.index)  # read while the file is open
        context: Any = video.codec_context
        width, height = int(context.width), int(context.height)
        # Pixels that are not square (DV and HDV camcorders, broadcast and DVD video store a
        # picture narrower than it is shown) are widened as a player widens them, so faces
        # are searched in their true shape and regions are in the pixels a viewer sees.
        stretch = _pixel_aspect(video)
        stored_width = width
        if stretch != 1:
            width = max(2, round(width * stretch))
        # A phone's portrait video is stored sideways with a display rotation: frames are
        # turned upright before faces are looked for (the detector finds upright faces only)
        # and written upright, since the output carries no rotation of its own. The placement
        # is read from every frame: a stream's own orientation messages can change it.
        first = _first_orientation(source, source_index)
        if first.swap:
            width, height = height, width
        if width * height > MAX_PIXELS:
            # A frame this large is a decoder's and the detector's whole memory many times a
            # second: refused, as a photo of this size is, before a frame is decoded.
            return {
                "error": f"the video claims {width}×{height} pixels a frame: more than"
                f" {MAX_PIXELS}, so it is not decoded"
            }
        bad = outside(request.regions, width, height)
        if bad is not None:
            return {
                "error": f"--regions {','.join(map(str, bad))}: outside the {width}×{height} video",
                "bad_request": True,
            }
        rate = Fraction(video.average_rate or video.guessed_rate or 25)
        if not 0 < rate <= 240:
            rate = Fraction(25)
        stride = max(1, round(float(rate) * DETECT_EVERY_S))
        hold = stride + max(0, round(float(rate) * HOLD_S))
        detector = (
            FaceDetector(
                max_side=VIDEO_MAX_SIDE, scale_factor=VIDEO_SCALE_FACTOR, turns=SEARCH_TURNS
            )
            if request.faces
            else None
        )
        keep_audio = request.keep_audio and audio is not None
        out = av.open(str(target), "w", format="mp4", options={"fflags": "+bitexact"})
        with out:
            out.metadata.clear()
            stream = out.add_stream("libx264", rate=rate)
            stream.width, stream.height = width + width % 2, height + height % 2
            stream.pix_fmt = "yuv420p"
            stream.options = {"crf": str(VIDEO_CRF), "preset": "veryfast"}
            stream.codec_context.flags |= av.codec.context.Flags.bitexact
            sound = None
            if keep_audio and audio is not None:
                sound = out.add_stream(
                    "aac", rate=int(getattr(audio.codec_context, "sample_rate", 0) or 48000)
                )
                sound.codec_context.flags |= av.codec.context.Flags.bitexact
            waiting: deque[tuple[int, NDArray[np.uint8]]] = deque()
            found: dict[int, list[Box]] = {}
            counts = {"frames": 0, "frames_searched": 0, "frames_with_faces": 0, "face_boxes": 0}

            def emit(index: int, pixels: NDArray[np.uint8]) -> None:
                boxes = [
                    box
                    for near in range(index - hold, index + hold + 1)
                    for box in found.get(near, ())
                ]
                _cover_all(pixels, [*boxes, *request.regions], request.style)
                frame = av.VideoFrame.from_ndarray(_even(pixels), format="rgb24")
                frame.pts = index
                frame.time_base = Fraction(1) / rate
                out.mux(stream.encode(frame))
                found.pop(index - hold, None)
                if counter is not None:
                    counter(index + 1)

            index = 0
            placed = first
            placements: list[list[Any]] = [[0, first.describe()]]
            streams = [video, *([audio] if sound is not None and audio is not None else [])]
            try:
                for packet in container.demux(*streams):
                    for decoded in packet.decode():
                        if isinstance(decoded, av.AudioFrame):
                            if sound is not None:
                                decoded.pts = None
                                out.mux(sound.encode(decoded))
                            continue
                        if not isinstance(decoded, av.VideoFrame):
                            continue
                        now = frame_orientation(decoded)
                        if now != placed:
                            placed = now
                            placements.append([index, now.describe()])
                        pixels = np.asarray(decoded.to_ndarray(format="rgb24"), dtype=np.uint8)
                        if stretch != 1:
                            pixels = _widened(pixels, round(pixels.shape[1] * stretch))
                        pixels = placed.apply(pixels)
                        if pixels.shape[:2] != (height, width):
                            return {
                                "error": f"frame {index} is {pixels.shape[1]}×{pixels.shape[0]}"
                                f", not {width}×{height}: size changes are not supported"
                            }
                        if detector is not None and index % stride == 0:
                            faces = detector.detect(pixels)
                            found[index] = faces
                            counts["frames_searched"] += 1
                            if faces:
                                counts["frames_with_faces"] += 1
                                counts["face_boxes"] += len(faces)
                        waiting.append((index, pixels))
                        index += 1
                        while waiting and waiting[0][0] <= index - 1 - hold:
                            emit(*waiting.popleft())
            except (av.error.FFmpegError, ValueError) as exc:
                return {
                    "error": f"the video is damaged: decoding failed after frame {index} ({exc})"
                }
            while waiting:
                emit(*waiting.popleft())
            if index == 0:
                return {"error": "the video holds no decodable frame"}
            out.mux(stream.encode(None))
            if sound is not None:
                out.mux(sound.encode(None))
            counts["frames"] = index
    recorded = settings(request, detector)
    recorded.update(
        {
            "width": width,
            "height": height,
            **(
                {"encoded_size": [width + width % 2, height + height % 2]}
                if width % 2 or height % 2
                else {}
            ),
            "frame_rate": str(rate),
            "source_video_stream": source_index,
            **(
                {
                    "pixel_aspect": f"{stretch.numerator}:{stretch.denominator}, widened from "
                    f"{stored_width} to square pixels"
                }
                if stretch != 1
                else {}
            ),
            "display_rotation": first.describe(),
            **({"display_rotation_changes": placements[1:]} if len(placements) > 1 else {}),
            "detect_every_frames": stride,
            "covered_frames_around_a_find": hold,
            **counts,
            "audio": "kept (re-encoded, AAC)"
            if keep_audio
            else ("dropped" if audio is not None else "none"),
            "output": "video/mp4",
            "video_codec": "h264",
            "crf": VIDEO_CRF,
        }
    )
    return {"path": str(target), "media_type": "video/mp4", "transformation": recorded}


def redact_file(
    source: Path,
    media_type: str,
    target_stem: Path,
    request: Request,
    counter: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Redact a photo or a video; the kind of work follows the media type."""
    if request.style not in STYLES:
        return {
            "error": f"--style {request.style}: one of {', '.join(STYLES)}",
            "bad_request": True,
        }
    if media_type.startswith("image/"):
        return redact_photo(source, target_stem, request)
    if media_type.startswith("video/"):
        return redact_video(source, target_stem, request, counter)
    return {"error": f"not a photo or video ({media_type})", "bad_request": True}
