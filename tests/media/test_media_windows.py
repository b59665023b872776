"""Photo windows: the default `enquiry media match` finds crops, caption banners and logos."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image, ImageDraw
from sqlalchemy import delete, func, select
from test_media_match import _add, _match

from enquiry.cli import main
from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM
from enquiry.enrich.media.windows import QUERY_WINDOWS, STORED_WINDOWS, stored_boxes
from enquiry.store import open_store
from enquiry.store.tables import MediaHash


def _crop(path: Path, out: Path, fraction: float, corner: bool) -> Path:
    """The photo with ``fraction`` of its area cut away: from the left and bottom, or evenly."""
    image = Image.open(path)
    keep = (1 - fraction) ** 0.5
    w, h = round(image.width * keep), round(image.height * keep)
    x, y = (image.width - w, 0) if corner else ((image.width - w) // 2, (image.height - h) // 2)
    image.crop((x, y, x + w, y + h)).save(out, quality=85)
    return out


def _banner(path: Path, out: Path) -> Path:
    """A news-style caption banner over the bottom seventh of the photo."""
    image = Image.open(path).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, image.height * 6 // 7, image.width, image.height), fill=(180, 0, 0))
    draw.text((10, image.height * 6 // 7 + 10), "BREAKING: footage from today", fill="white")
    image.save(out, quality=85)
    return out


def _window_rows(home: Path) -> int:
    store = open_store(home, "tester")
    with store.session() as session:
        count = session.scalar(
            select(func.count(MediaHash.id)).where(MediaHash.algorithm == WINDOW_ALGORITHM)
        )
    return int(count or 0)


def test_windows_cover_the_picture_inside_its_bounds() -> None:
    assert stored_boxes() == STORED_WINDOWS and len(STORED_WINDOWS) == 19
    for left, top, right, bottom in STORED_WINDOWS + QUERY_WINDOWS:
        assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1


def test_default_match_finds_crops_and_banners_not_other_photos(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    ids = _add(home, [media_dir / f"{n}.jpg" for n in ("astronaut", "coffee", "chelsea", "camera")])
    astronaut, coffee = ids[0], ids[1]
    for query, expected in (
        (_crop(media_dir / "astronaut.jpg", tmp_path / "corner.jpg", 0.2, corner=True), astronaut),
        (_crop(media_dir / "astronaut.jpg", tmp_path / "centre.jpg", 0.2, corner=False), astronaut),
        (_banner(media_dir / "coffee.jpg", tmp_path / "banner.jpg"), coffee),
    ):
        matches = _match(home, str(query))
        assert [m["item"] for m in matches] == [expected], query.name
        # found through the windows: a whole-picture hash is too far from these copies
        assert any("window" in v for v in matches[0]["variants"]), matches[0]
    # a photo that is not in the store, whole or cut, matches nothing
    assert _match(home, str(media_dir / "rocket.jpg")) == []
    assert _match(home, str(_crop(media_dir / "rocket.jpg", tmp_path / "r.jpg", 0.2, True))) == []


def test_photos_hashed_before_windows_still_match_and_media_hash_adds_them(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    [astronaut] = _add(home, [media_dir / "astronaut.jpg"])
    _add(home, [media_dir / "coffee.jpg"])
    store = open_store(home, "tester")
    with store.engine.begin() as conn:  # a home hashed before windows were stored
        conn.execute(delete(MediaHash).where(MediaHash.algorithm == WINDOW_ALGORITHM))
    assert _window_rows(home) == 0
    copy = tmp_path / "copy.jpg"
    Image.open(media_dir / "astronaut.jpg").resize((300, 300)).save(copy, quality=50)
    assert [m["item"] for m in _match(home, str(copy))] == [astronaut]
    crop = _crop(media_dir / "astronaut.jpg", tmp_path / "crop.jpg", 0.2, corner=True)
    assert _match(home, str(crop)) == []
    # `media hash` with no item hashes again the photos that have no windows yet
    result = CliRunner().invoke(main, ["--home", str(home), "media", "hash"])
    assert result.exit_code == 0, result.output
    assert "2 item(s) hashed" in result.output
    assert _window_rows(home) == 2 * len(STORED_WINDOWS)
    assert [m["item"] for m in _match(home, str(crop))] == [astronaut]
