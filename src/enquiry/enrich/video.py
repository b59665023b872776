"""Video metadata through PyAV: container, duration, streams and codecs, creation time.

The container is opened, never decoded in full; a file PyAV cannot open, or whose streams
end well before the duration the container declares, is reported as damaged or truncated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from enquiry.enrich.base import FileEnricher
from enquiry.intake.extract import Extraction

CREATION_KEYS = ("creation_time", "com.apple.quicktime.creationdate", "date")


class VideoMetadata(FileEnricher):
    """Container-level facts of video (and audio) files."""

    name = "video"
    version = "1"

    def accepts(self, media_type: str, kind: str) -> bool:
        return media_type.startswith(("video/", "audio/"))

    def extract(self, path: Path, media_type: str) -> Extraction:
        import av

        found = Extraction()
        meta = found.metadata
        try:
            container = av.open(str(path), metadata_errors="replace")
        except (av.error.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
            found.problems.append(
                f"video cannot be opened: damaged, truncated or not a video ({_reason(exc)})"
            )
            return found
        with container:
            meta["format"] = container.format.name
            if container.duration is not None:
                meta["duration_s"] = round(container.duration / 1_000_000, 3)
            tags = {str(k): str(v) for k, v in (container.metadata or {}).items()}
            for key in CREATION_KEYS:
                if tags.get(key):
                    meta["creation_time"] = tags[key]
                    break
            for key in (
                "encoder",
                "location",
                "com.apple.quicktime.location.ISO6709",
                "com.apple.quicktime.make",
                "com.apple.quicktime.model",
            ):
                if tags.get(key):
                    meta[key.split(".")[-1].lower()] = tags[key][:200]
            streams: list[dict[str, Any]] = []
            for stream in container.streams:
                entry: dict[str, Any] = {"type": stream.type}
                codec: Any = stream.codec_context
                if codec is not None:
                    entry["codec"] = codec.name
                if stream.type == "video":
                    entry["width"] = codec.width
                    entry["height"] = codec.height
                    rate = stream.average_rate or stream.guessed_rate
                    if rate:
                        entry["fps"] = round(float(rate), 3)
                    if stream.frames:
                        entry["frames"] = stream.frames
                elif stream.type == "audio":
                    entry["sample_rate"] = codec.sample_rate
                    entry["channels"] = codec.channels
                if stream.duration is not None and stream.time_base is not None:
                    entry["duration_s"] = round(float(stream.duration * stream.time_base), 3)
                streams.append(entry)
            meta["streams"] = streams
            if media_type.startswith("video/") and picture_stream(container) is None:
                cover = any(s["type"] == "video" for s in streams)
                found.problems.append(
                    "no video stream in the container"
                    + (" (only a cover picture)" if cover else "")
                )
            truncated = _truncated(container)
            if truncated:
                found.problems.append(truncated)
                meta["truncated"] = True
        return found


def _truncated(container: Any) -> str | None:
    """Decode nothing; read the packets of the video a player shows (else of the sound) to
    their end, cheaply. A cover picture is one frame at the start: read in their place, every
    file with cover art was reported truncated."""
    import av

    video = picture_stream(container) or next(iter(container.streams.audio), None)
    if video is None or container.duration is None:
        return None
    last = None
    try:
        for packet in container.demux(video):
            if packet.pts is not None:
                last = packet.pts
    except (av.error.FFmpegError, ValueError) as exc:
        return f"video is damaged or truncated: demuxing failed ({_reason(exc)})"
    if last is None:
        return "video is truncated: no frames in the container"
    declared = container.duration / 1_000_000
    reached = float((last - (video.start_time or 0)) * video.time_base)
    if declared > 2 and reached < declared * 0.9 - 1:
        return f"video is truncated: frames end at {reached:.1f}s of a declared {declared:.1f}s"
    return None


def picture_stream(container: Any) -> Any:
    """The video a player shows: the first video stream that is not an attached picture.

    A file's cover art (an MP4 ``covr`` atom, a Matroska attachment, an MP3's picture) is
    exposed by FFmpeg as a one-frame video stream, and nothing keeps it from coming first: taking
    the first video stream then redacted the cover and dropped the film."""
    import av

    cover = av.stream.Disposition.attached_pic
    for stream in container.streams.video:
        if not stream.disposition & cover:
            return stream
    return None


def _reason(exc: BaseException) -> str:
    """FFmpeg's reason without the file name it quotes (the vault's path, not the user's)."""
    return str(getattr(exc, "strerror", None) or type(exc).__name__)
