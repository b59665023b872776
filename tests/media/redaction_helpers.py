"""What the redaction tests share: a second, different face detector to check outputs with, and
photographs carrying every kind of metadata a camera, an editor or a phone writes."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageCms

from enquiry.enrich.media import samples

# Where the astronaut's face is in scikit-image's picture (x, y, w, h), as both detectors find it.
ASTRONAUT_FACE = (170, 55, 110, 110)
SECRETS = (
    b"Witness-Camera-Serial-0042",
    b"Jane Q. Witness",
    b"MakerNote-Secret",
    b"xmp-witness-name",
    b"IPTC-Byline-Witness",
)


def lbp_faces(rgb: NDArray[np.uint8]) -> list[tuple[int, int, int, int]]:
    """Faces found by scikit-image's own cascade implementation with the LBP frontal-face
    cascade it ships: a different detector (features and code) from the Haar cascades OpenCV
    runs in the redactor."""
    from skimage import data
    from skimage.feature import Cascade

    grey = rgb if rgb.ndim == 2 else np.asarray(Image.fromarray(rgb[..., :3]).convert("L"))
    cascade = Cascade(data.lbp_frontal_face_cascade_filename())
    found = cascade.detect_multi_scale(
        img=grey, scale_factor=1.1, step_ratio=1, min_size=(24, 24), max_size=(400, 400)
    )
    return [(d["c"], d["r"], d["width"], d["height"]) for d in found]


def centre_in(box: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    """Whether the centre of ``box`` lies inside ``area``."""
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return area[0] <= cx <= area[0] + area[2] and area[1] <= cy <= area[1] + area[3]


def _iptc_segment(byline: bytes) -> bytes:
    """An APP13 'Photoshop 3.0' segment holding an IPTC By-line (2:80), as editors write it."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(byline)) + byline
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record))
    resource += record + (b"\x00" if len(record) % 2 else b"")
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def tagged_jpeg(path: Path, pixels: NDArray[np.uint8] | None = None) -> Path:
    """The astronaut (or ``pixels``) as a JPEG with EXIF (camera, serial, artist, GPS, a maker
    note), an XMP packet, an IPTC block and an ICC profile whose description names a device."""
    picture = Image.fromarray(samples.photo("astronaut") if pixels is None else pixels)
    exif = Image.Exif()
    exif[0x010F] = "WitnessCam"  # Make
    exif[0x0110] = "Model-7"  # Model
    exif[0x013B] = SECRETS[1].decode()  # Artist
    exif[0x0132] = "2017:04:04 06:45:00"  # DateTime
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0xA431] = SECRETS[0].decode()  # BodySerialNumber
    exif_ifd[0x927C] = SECRETS[2]  # MakerNote
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (35.0, 26.0, 24.0)
    gps[3], gps[4] = "E", (36.0, 39.0, 0.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b"<rdf:RDF><rdf:Description><dc:creator>xmp-witness-name</dc:creator>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    )
    picture.save(path, format="JPEG", quality=92, exif=exif.tobytes(), icc_profile=icc, xmp=xmp)
    data = path.read_bytes()
    path.write_bytes(data[:2] + _iptc_segment(SECRETS[4]) + data[2:])
    return path


def face_video(path: Path, frames: int = 25, size: tuple[int, int] = (480, 360)) -> Path:
    """A short video in which the astronaut's face drifts across the picture in every frame,
    with container and stream tags naming a place and a person, and a sound track."""
    import av

    photo = Image.fromarray(samples.photo("astronaut")).resize((300, 300))
    width, height = size
    with av.open(str(path), "w") as container:
        container.metadata.update(
            {"title": "Jane Q. Witness", "location": "+35.4400+036.6500/", "comment": "secret"}
        )
        video = container.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.metadata["handler_name"] = "Phone of Jane Q. Witness"
        sound = container.add_stream("aac", rate=48000)
        for index in range(frames):
            canvas = Image.new("RGB", size, (40, 60, 80))
            canvas.paste(photo, (20 + 3 * index, 10 + index))
            frame = av.VideoFrame.from_ndarray(np.asarray(canvas), format="rgb24")
            for packet in video.encode(frame):
                container.mux(packet)
        count = 48000 * frames // 25
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(count) / 48000)).astype(np.float32)
        for start in range(0, count, 1024):
            chunk = av.AudioFrame.from_ndarray(
                tone[start : start + 1024].reshape(1, -1), format="fltp", layout="mono"
            )
            chunk.sample_rate = 48000
            for packet in sound.encode(chunk):
                container.mux(packet)
        for stream in (video, sound):
            for packet in stream.encode():
                container.mux(packet)
    return path


def video_face_box(index: int) -> tuple[int, int, int, int]:
    """Where the face is in frame ``index`` of :func:`face_video` (the photo scaled to 300)."""
    scale = 300 / 512
    x, y, w, h = ASTRONAUT_FACE
    return (
        round(20 + 3 * index + x * scale),
        round(10 + index + y * scale),
        round(w * scale),
        round(h * scale),
    )


def video_frames(path: Path) -> list[NDArray[np.uint8]]:
    """Every frame of a video's first stream, as stored (no display matrix applied)."""
    import av

    with av.open(str(path)) as container:
        return [np.asarray(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]


def body_differs(seen: NDArray[np.uint8], expected: NDArray[np.uint8]) -> float:
    """Mean difference of the astronaut's suit and flag (below any face box) in a frame of
    :func:`face_video`: small when a redacted frame is the right way up and round."""
    area = (slice(200, 300), slice(40, 300))
    return float(np.abs(seen[area].astype(int) - expected[area].astype(int)).mean())


def placed_video(
    path: Path,
    frames: list[NDArray[np.uint8]],
    rotation: int = 0,
    hflip: bool = False,
    vflip: bool = False,
) -> Path:
    """``frames`` stored as they are, with a display matrix that turns by ``rotation`` degrees
    counter-clockwise and then mirrors (as an editor or a phone's front camera writes it)."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.set_display_rotation(rotation, hflip=hflip, vflip=vflip)
        for pixels in frames:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _moov_children_reordered(data: bytes, first: bytes) -> bytes:
    """An MP4's bytes with the ``moov`` child box ``first`` moved to the front of ``moov``
    (offsets into ``mdat``, which comes before ``moov``, are unchanged)."""
    out = bytearray(data)
    at = 0
    while at < len(out):
        size, kind = struct.unpack(">I4s", out[at : at + 8])
        if kind == b"moov":
            children, inner = [], at + 8
            while inner < at + size:
                length, name = struct.unpack(">I4s", out[inner : inner + 8])
                children.append((name, bytes(out[inner : inner + length])))
                inner += length
            children.sort(key=lambda child: child[0] != first)
            out[at + 8 : at + size] = b"".join(body for _, body in children)
        at += size
    return bytes(out)


def with_cover_first(clip: Path, path: Path, cover: bytes, *, video: bool = True) -> Path:
    """``clip``'s video (or, with ``video=False``, only its sound) in an MP4 whose cover art
    (``cover``, a JPEG) is a picture FFmpeg lists as the first video stream, as it does when a
    tagger writes the ``udta`` box before the tracks."""
    import av

    with av.open(str(clip)) as source, av.open(str(path), "w", format="mp4") as target:
        kept = source.streams.video[0] if video else source.streams.audio[0]
        copy = target.add_stream_from_template(kept)
        picture = target.add_stream("mjpeg")
        picture.width = picture.height = 512
        picture.pix_fmt = "yuvj420p"
        picture.disposition = av.stream.Disposition.attached_pic
        for packet in source.demux(kept):
            if packet.dts is None:
                continue
            packet.stream = copy
            target.mux(packet)
        still = av.Packet(cover)
        still.stream, still.pts, still.dts = picture, 0, 0
        target.mux(still)
    path.write_bytes(_moov_children_reordered(path.read_bytes(), b"udta"))
    return path


def _sei_display_orientation(ccw_degrees: int) -> bytes:
    """An H.264 SEI NAL unit (Annex B) carrying a display orientation message (payload 47)
    that turns the picture it precedes ``ccw_degrees`` counter-clockwise."""
    turn = round(ccw_degrees / 360 * 65536) % 65536
    # cancel 0, no mirrors, the turn, repetition period 0 (this picture only), no extension
    bits = "000" + format(turn, "016b") + "1" + "0"
    bits += "1" + "0" * (-(len(bits) + 1) % 8)
    payload = int(bits, 2).to_bytes(len(bits) // 8, "big")
    body, escaped, zeros = bytes([47, len(payload)]) + payload + b"\x80", bytearray(), 0
    for byte in body:  # emulation prevention: no 00 00 0x inside a NAL unit
        if zeros >= 2 and byte <= 3:
            escaped.append(3)
            zeros = 0
        escaped.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return b"\x00\x00\x00\x01\x06" + bytes(escaped)


def _before_first_slice(access_unit: bytes, nal: bytes) -> bytes:
    at = 0
    while (found := access_unit.find(b"\x00\x00\x01", at)) >= 0:
        if access_unit[found + 3] & 0x1F in (1, 5):  # a coded slice
            start = found - 1 if found and access_unit[found - 1] == 0 else found
            return access_unit[:start] + nal + access_unit[start:]
        at = found + 3
    return access_unit


def turned_midway(path: Path, frames: list[NDArray[np.uint8]], turned_from: int) -> Path:
    """``frames`` as H.264 in MP4, stored upside down from frame ``turned_from`` on, each of
    those carrying its own display orientation message that turns it back (a stream whose
    orientation changes, as a live recording's does when the phone is turned)."""
    import av

    raw = path.with_suffix(".h264")
    with av.open(str(raw), "w", format="h264") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"bframes": "0"}  # packets in display order: one per frame
        done = 0

        def put(packets: list[av.Packet]) -> None:
            nonlocal done
            for packet in packets:
                data = bytes(packet)
                if done >= turned_from:
                    data = _before_first_slice(data, _sei_display_orientation(180))
                fresh = av.Packet(data)
                fresh.stream, fresh.pts, fresh.dts = stream, packet.pts, packet.dts
                fresh.time_base, fresh.is_keyframe = packet.time_base, packet.is_keyframe
                container.mux(fresh)
                done += 1

        for index, pixels in enumerate(frames):
            stored = pixels if index < turned_from else pixels[::-1, ::-1]
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(stored), format="rgb24")
            put(stream.encode(frame))
        put(stream.encode())
    with av.open(str(raw)) as source, av.open(str(path), "w") as target:
        copy = target.add_stream_from_template(source.streams.video[0])
        for index, packet in enumerate(source.demux(source.streams.video[0])):
            if packet.size:
                packet.stream, packet.pts, packet.dts = copy, index, index
                target.mux(packet)
    raw.unlink()
    return path
