"""Real sample files made on the spot: a JPEG with EXIF, an MP4, a PDF with text, HTML."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path


def jpeg_with_exif(
    path: Path,
    *,
    taken: str = "2017:04:04 06:52:10",
    lat: float = 35.4427,
    lon: float = 36.6514,
    software: str = "",
) -> Path:
    """A small photo whose EXIF says when, where and with what it was taken."""
    from PIL import Image

    image = Image.new("RGB", (96, 64), (120, 140, 90))
    for x in range(96):
        image.putpixel((x, 32), (x * 2, 10, 200))
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    exif[0x0112] = 1  # Orientation
    if software:
        exif[0x0131] = software
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = taken  # DateTimeOriginal
    ifd[0x9011] = "+03:00"  # OffsetTimeOriginal

    def dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
        return (Fraction(degrees), Fraction(minutes), Fraction(seconds, 100))

    gps = exif.get_ifd(0x8825)
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = dms(abs(lat))
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = dms(abs(lon))
    image.save(path, "JPEG", exif=exif, quality=90)
    return path


def mp4(path: Path, seconds: float = 2.0, fps: int = 10) -> Path:
    """A short moving-picture MP4 with a creation time in its container."""
    import av
    import numpy as np

    with av.open(str(path), "w", container_options={"movflags": "faststart"}) as container:
        container.metadata["creation_time"] = "2017-04-04T04:00:00.000000Z"
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(int(seconds * fps)):
            frame = np.zeros((48, 64, 3), dtype=np.uint8)
            frame[:, (index * 3) % 64 :, 1] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def pdf(path: Path, text: str = "Report of the Joint Investigative Mechanism") -> Path:
    """A one-page PDF whose page says ``text``, written by hand with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


def html(path: Path) -> Path:
    """A news page with a title, a date and an article body."""
    path.write_text(
        "<!DOCTYPE html><html><head><title>Strike on Khan Shaykhun</title>"
        '<meta name="author" content="A. Reporter">'
        '<meta property="article:published_time" content="2017-04-05"></head><body>'
        "<nav>Home | World</nav><article><h1>Strike on Khan Shaykhun</h1>"
        "<p>Dozens of people were killed early on Tuesday in Khan Shaykhun, doctors said. "
        "Witnesses described aircraft over the town shortly before 7 a.m.</p>"
        "<p>The Russian Ministry of Defence said a Syrian strike had hit a depot on the "
        "eastern outskirts of the town between 11:30 and 12:30.</p></article>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    return path
