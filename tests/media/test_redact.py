"""Redacted derivatives of photos: faces gone for a second detector, metadata gone for the
project's own readers, the original untouched, the transformation recorded, a person's
confirmation required before anything is published, and bad requests refused in one line."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import exifread
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from redaction_helpers import ASTRONAUT_FACE, SECRETS, centre_in, lbp_faces, tagged_jpeg
from sqlalchemy import select

from enquiry.app import Enquiry, redaction
from enquiry.cli import main
from enquiry.enrich.media import samples
from enquiry.enrich.media.faces import FaceDetector
from enquiry.enrich.media.redact import Request, cover, parse_regions, redact_photo
from enquiry.enrich.photo import PhotoMetadata
from enquiry.errors import BadRequest, Refused
from enquiry.store.tables import CustodyEvent, Item


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "--as", "reviewer", *args])
    return result.exit_code, result.stdout, result.stderr


def _add(home: Path, path: Path, *extra: str, damaged: bool = False) -> int:
    code, _out, err = _cli(home, "add", str(path), "--case", "c", *extra)
    # a damaged file is stored as received, its problems reported (status 1)
    assert code == (1 if damaged else 0), err
    app = Enquiry.at(home, "t")
    with app.store(create=False).session() as session:
        return max(session.scalars(select(Item.id)).all())


def _blob(home: Path, item_id: int) -> bytes:
    store = Enquiry.at(home, "t").store(create=False)
    with store.session() as session:
        sha = session.get(Item, item_id).sha256  # type: ignore[union-attr]
    assert sha is not None
    return store.vault.read_verified(sha)


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tagged_jpeg(tmp_path_factory.mktemp("redact") / "witness.jpg")


def test_the_second_detector_sees_the_face_before_and_not_after(
    backend: str, home: Path, tagged: Path
) -> None:
    item = _add(home, tagged)
    before = Image.open(tagged)
    assert any(centre_in(f, ASTRONAUT_FACE) for f in lbp_faces(np.asarray(before)))
    code, out, err = _cli(home, "media", "redact", str(item), "--faces", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert made["derived_from"] == item and made["confirmed"] is False and made["faces"] >= 1
    pixels = np.asarray(Image.open(io.BytesIO(_blob(home, made["item"]))))
    assert pixels.shape == (512, 512, 3)
    # The LBP cascade (different features, different code) finds no face where the face was.
    assert not [f for f in lbp_faces(pixels) if centre_in(f, ASTRONAUT_FACE)]
    # ... and the covered box is a coarse mosaic: the detail between neighbouring pixels is gone.
    x, y, w, h = made["transformation"]["redaction"]["faces_found"][0]
    assert x <= ASTRONAUT_FACE[0] + 20 and x + w >= ASTRONAUT_FACE[0] + ASTRONAUT_FACE[2] - 20

    def detail(picture: np.ndarray) -> float:
        box = picture[y : y + h, x : x + w].astype(np.int16)
        return float(np.abs(np.diff(box, axis=1)).mean())

    assert detail(pixels) < detail(np.asarray(before)) / 4


def test_no_metadata_is_left_for_the_projects_own_readers(
    backend: str, home: Path, tagged: Path, tmp_path: Path
) -> None:
    item = _add(home, tagged)
    original = _blob(home, item)
    assert all(secret in original for secret in SECRETS)
    code, out, err = _cli(home, "media", "redact", str(item), "--strip-metadata", "--json")
    assert code == 0, err
    made = json.loads(out)
    data = _blob(home, made["item"])
    for secret in (*SECRETS, b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"Photoshop 3.0"):
        assert secret not in data
    assert exifread.process_file(io.BytesIO(data), details=True) == {}
    with Image.open(io.BytesIO(data)) as picture:
        assert not {"exif", "xmp", "icc_profile", "photoshop", "XML:com.adobe.xmp"} & set(
            picture.info
        )
    out_file = tmp_path / "out.jpg"
    out_file.write_bytes(data)
    read = PhotoMetadata().extract(out_file, "image/jpeg").metadata
    assert read["exif"] is False
    assert not {"gps", "make", "model", "serial", "artist", "taken_at"} & set(read)
    # The same reader sees everything in the original: the check above can fail.
    tagged_read = PhotoMetadata().extract(tagged, "image/jpeg").metadata
    assert {"gps", "make", "serial", "artist", "taken_at"} <= set(tagged_read)
    # Only metadata was asked to go: the pixels are the same picture.
    a = np.asarray(Image.open(tagged), dtype=np.int16)
    b = np.asarray(Image.open(io.BytesIO(data)), dtype=np.int16)
    assert np.abs(a - b).mean() < 2.0


def test_png_text_chunks_and_alpha(home: Path, tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    logo = samples.photo_rgba("logo")
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Q. Witness")
    info.add_itxt("XML:com.adobe.xmp", "xmp-witness-name")
    path = tmp_path / "logo.png"
    Image.fromarray(logo).save(path, pnginfo=info)
    item = _add(home, path)
    code, out, err = _cli(home, "media", "redact", str(item), "--regions", "10,10,40,30", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert made["media_type"] == "image/png"
    data = _blob(home, made["item"])
    assert b"Jane Q. Witness" not in data and b"xmp-witness-name" not in data
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.mode == "RGBA" and not picture.text  # type: ignore[attr-defined]
        patch = np.asarray(picture)[10:40, 10:50]
    assert len({tuple(p) for p in patch.reshape(-1, 4)}) <= 16


def test_the_original_is_untouched_and_the_derivation_recorded(
    backend: str, home: Path, tagged: Path
) -> None:
    item = _add(home, tagged)
    before = hashlib.sha256(_blob(home, item)).hexdigest()
    code, out, err = _cli(
        home, "media", "redact", str(item), "--faces", "--regions", "300,340,40,30;130,345,85,82",
        "--style", "fill", "--json",
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    app = Enquiry.at(home, "t")
    with app.store(create=False).session() as session:
        source = session.get(Item, item)
        derived = session.get(Item, made["item"])
        assert source is not None and derived is not None
        assert source.sha256 == before == hashlib.sha256(tagged.read_bytes()).hexdigest()
        assert derived.derived_from == item
        how = derived.transformation
        assert how is not None and how["how"] == "redacted"
        done = how["redaction"]
        assert done["regions"] == [[300, 340, 40, 30], [130, 345, 85, 82]]
        assert done["style"] == "fill" and done["faces"] is True
        assert done["detector"]["name"] == "opencv-haar"
        assert done["detector"]["library"].startswith("opencv-python-headless 4.")
        assert {"scale_factor", "min_neighbours", "margin", "cascades"} <= set(done["detector"])
        assert done["faces_found"]
        actions = session.scalars(
            select(CustodyEvent.action).where(CustodyEvent.item_id == derived.id)
        ).all()
        assert "confirmed" not in actions
    pixels = np.asarray(Image.open(io.BytesIO(_blob(home, made["item"]))))
    inner = pixels[348:362, 308:332].astype(int)  # JPEG rings at the edges of the fill
    assert (np.abs(inner - 128) <= 8).all()  # flat grey
    code, out, _ = _cli(home, "verify")
    assert code == 0, out
    # The same request again makes the same bytes: the existing item is named, nothing added.
    code, out, err = _cli(
        home, "media", "redact", str(item), "--faces", "--regions", "300,340,40,30;130,345,85,82",
        "--style", "fill", "--json",
    )  # fmt: skip
    assert code == 0, err
    again = json.loads(out)
    assert again["item"] == made["item"] and again["existing"] is True
    # Another request that blurs to the same pixels names the same item, and says what it
    # asked for beside what the item was made with.
    code, out, err = _cli(
        home, "media", "redact", str(item), "--faces", "--regions",
        "300,340,40,30;130,345,85,82;301,341,2,2", "--style", "fill", "--json",
    )  # fmt: skip
    assert code == 0, err
    other = json.loads(out)
    assert other["item"] == made["item"] and other["existing"] is True
    assert len(other["regions"]) == 2
    assert len(other["requested"]["redaction"]["regions"]) == 3


def test_publication_uses_only_a_confirmed_redaction(
    backend: str, home: Path, tagged: Path
) -> None:
    item = _add(home, tagged, "--field", "photographer=Jane Q. Witness")
    app = Enquiry.at(home, "reviewer")
    code, _, err = _cli(home, "item", "update", str(item), "--protect")
    assert code == 0, err
    with pytest.raises(Refused, match=rf"item {item}: protected, and no confirmed redaction"):
        redaction.publishable_picture(app, item)
    made = redaction.redact(app, str(item), faces=True)
    with pytest.raises(Refused, match=rf"item {made.item_id} awaits confirmation"):
        redaction.publishable_picture(app, item)
    with pytest.raises(Refused, match="an unconfirmed redaction"):
        redaction.publishable_picture(app, made.item_id)
    code, out, err = _cli(home, "media", "redact", "--confirm", str(made.item_id))
    assert code == 0, err
    assert f"item {made.item_id}: redaction of item {item} confirmed for publication" in out
    shown = redaction.publishable_picture(app, item)
    assert shown.redacted and shown.shown_item_id == made.item_id
    assert hashlib.sha256(shown.data).hexdigest() == made.sha256
    # A reveal hands out the original and is recorded under the name of who asked.
    revealed = redaction.publishable_picture(app, item, reveal=True)
    assert not revealed.redacted and revealed.data == tagged.read_bytes()
    with app.store(create=False).session() as session:
        events = session.execute(
            select(CustodyEvent.action, CustodyEvent.actor, CustodyEvent.item_id).where(
                CustodyEvent.action.in_(["confirmed", "revealed"])
            )
        ).all()
    assert ("confirmed", "reviewer", made.item_id) in events
    assert ("revealed", "reviewer", item) in events
    # What is made from a protected item is protected too: its listing withholds nothing new.
    code, out, _ = _cli(home, "item", "show", str(made.item_id))
    assert "Jane Q. Witness" not in out


def test_an_unprotected_photo_nobody_redacted_is_published_as_it_is(
    home: Path, tagged: Path
) -> None:
    item = _add(home, tagged)
    shown = redaction.publishable_picture(Enquiry.at(home, "t"), item)
    assert not shown.redacted and shown.data == tagged.read_bytes()


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--regions", "500,500,20,20"], 2, "--regions 500,500,20,20: outside the 512×512 picture"),
        (["--regions", "10,10,abc"], 2, "--regions '10,10,abc': expected x,y,w,h in whole pixels"),
        (["--regions", "10,10,0,5"], 2, "w and h above 0"),
        ([], 2, "nothing to redact: give --faces, --regions x,y,w,h or --strip-metadata"),
        (["--confirm", "1"], 2, "--confirm NEW_ID takes no ITEM"),
    ],
)
def test_bad_requests_are_one_line(
    home: Path, tagged: Path, args: list[str], status: int, message: str
) -> None:
    item = _add(home, tagged)
    code, out, err = _cli(home, "media", "redact", str(item), *args)
    assert code == status
    assert err.strip().splitlines() == [f"enquiry: {err.strip().removeprefix('enquiry: ')}"]
    assert message in err
    assert "Traceback" not in err + out
    with Enquiry.at(home, "t").store(create=False).session() as session:
        assert session.scalars(select(Item.id)).all() == [item]


def test_non_media_truncated_and_unknown_items_are_refused(home: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("a witness statement\n")
    text_item = _add(home, note)
    code, _, err = _cli(home, "media", "redact", str(text_item), "--faces")
    assert code == 2
    assert err.strip() == f"enquiry: item {text_item}: not a photo or video (text/plain)"
    whole = tmp_path / "whole.jpg"
    Image.fromarray(samples.photo("astronaut")).save(whole, quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    cut_item = _add(home, cut, damaged=True)
    code, _, err = _cli(home, "media", "redact", str(cut_item), "--faces")
    assert code == 1
    assert err.strip() == (
        f"enquiry: item {cut_item}: the original is truncated; it cannot be redacted whole"
    )
    code, _, err = _cli(home, "media", "redact", "999", "--faces")
    assert code == 1 and "item '999': no such item" in err
    code, _, err = _cli(home, "media", "redact", "--confirm", str(text_item))
    assert code == 2 and f"item {text_item}: not a redaction" in err


def test_a_picture_that_cannot_be_decoded_is_one_line(home: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    Image.fromarray(samples.photo("coffee")).save(whole, quality=90)
    data = bytearray(whole.read_bytes())
    # keep the end marker (not truncated: complete to a quick look) but wreck the scan
    data[600:-2] = b"\xff" * (len(data) - 602)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(bytes(data))
    item = _add(home, broken, damaged=True)
    code, out, err = _cli(home, "media", "redact", str(item), "--faces")
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"enquiry: item {item}: ")
    assert "Traceback" not in out + err


def test_regions_parse_and_the_mosaic_keeps_nothing_finer_than_a_quarter() -> None:
    assert parse_regions(["1,2,3,4", "5,6,7,8;9,10,11,12"]) == (
        (1, 2, 3, 4),
        (5, 6, 7, 8),
        (9, 10, 11, 12),
    )
    with pytest.raises(ValueError, match="x and y must be 0 or more"):
        parse_regions(["-1,0,5,5"])
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)
    cover(pixels, (10, 10, 80, 80), "mosaic")
    patch = pixels[10:90, 10:90]
    assert len({tuple(p) for p in patch.reshape(-1, 3)}) <= 16
    assert (patch[:20, :20] == patch[0, 0]).all()


def test_the_home_keeps_no_temporary_copy(home: Path, tagged: Path) -> None:
    item = _add(home, tagged)
    code, _, err = _cli(home, "media", "redact", str(item), "--faces")
    assert code == 0, err
    assert not list(home.glob(".redact-*")) and not list(home.glob(".enrich-*"))


def test_the_service_refuses_a_redaction_of_a_redaction(home: Path, tagged: Path) -> None:
    item = _add(home, tagged)
    app = Enquiry.at(home, "t")
    made = redaction.redact(app, str(item), regions=["0,0,10,10"])
    with pytest.raises(BadRequest, match=f"redact item {item} again instead"):
        redaction.redact(app, str(made.item_id), faces=True)


def _redacted_photo(path: Path, tmp_path: Path, **asked: Any) -> tuple[dict[str, Any], Any]:
    made = redact_photo(path, tmp_path / "redacted", Request(**asked))
    assert "error" not in made, made
    with Image.open(made["path"]) as picture:
        return made["transformation"], (picture.format, np.asarray(picture))


def test_colour_under_transparent_pixels_is_not_carried_into_the_redaction(
    tmp_path: Path,
) -> None:
    """An eraser in an editor makes pixels transparent and leaves their colour: a face no
    viewer shows, a reviewer cannot object to, and any program reads back. The redaction keeps
    no more colour than can be seen."""
    astronaut = samples.photo("astronaut")
    alpha = np.zeros(astronaut.shape[:2], dtype=np.uint8)
    alpha[400:] = 255  # the suit below stays as it was
    alpha[380:400] = 3  # a faint band keeps no more than it shows
    path = tmp_path / "erased.png"
    Image.fromarray(np.dstack([astronaut, alpha])).save(path)
    with Image.open(path) as hidden:  # the face is still there, under the transparency
        assert any(centre_in(f, ASTRONAUT_FACE) for f in lbp_faces(np.asarray(hidden)[..., :3]))
    done, (kind, pixels) = _redacted_photo(path, tmp_path, regions=((0, 500, 10, 10),))
    assert kind == "PNG" and pixels.shape == (512, 512, 4)
    assert not [
        f for f in lbp_faces(np.ascontiguousarray(pixels[..., :3])) if centre_in(f, ASTRONAUT_FACE)
    ]
    assert (pixels[:380, :, :3] == 0).all() and (pixels[..., 3] == alpha).all()
    assert len(np.unique(pixels[380:400, :, :3])) <= 4  # a colour at 3/255 is one of 3 levels
    assert (pixels[400:500, :, :3] == astronaut[400:500]).all()
    assert done["transparency"] == "colour under transparent pixels reduced to what shows"


def test_a_16_bit_greyscale_picture_keeps_its_tones_and_its_face_is_covered(
    tmp_path: Path,
) -> None:
    """Pillow clips 16-bit grey at 255 when it converts: the redaction was a white sheet, and
    no face was looked for in it. The tones are scaled as a viewer shows them."""
    grey = np.asarray(Image.fromarray(samples.photo("astronaut")).convert("L"))
    path = tmp_path / "scan.png"
    Image.fromarray(grey.astype(np.uint16) * 257).save(path)
    with Image.open(path) as deep:
        assert deep.mode == "I;16"
    done, (kind, pixels) = _redacted_photo(path, tmp_path, faces=True)
    assert (pixels[400:, :, 0] == grey[400:]).all()
    assert any(centre_in(ASTRONAUT_FACE, box) for box in done["faces_found"])
    assert kind == "PNG" and done["depth"] == "reduced to 8 bits a channel"


def test_a_phone_jpeg_with_further_pictures_keeps_the_first_alone(tmp_path: Path) -> None:
    """Phones write JPEGs with more pictures after the photo (a gain map, a depth map, a second
    view), which Pillow reads as a two-frame MPO: such a photo was refused as animated."""
    path = tmp_path / "phone.jpg"
    second = Image.fromarray(samples.photo("coffee")).resize((512, 512))
    Image.fromarray(samples.photo("astronaut")).save(
        path, format="MPO", save_all=True, append_images=[second]
    )
    with Image.open(path) as both:
        assert (both.format, both.n_frames) == ("MPO", 2)
    done, (kind, pixels) = _redacted_photo(path, tmp_path, faces=True)
    assert kind == "JPEG" and pixels.shape == (512, 512, 3)
    assert done["pictures_dropped"] == 1 and done["output"] == "image/jpeg"
    assert any(centre_in(ASTRONAUT_FACE, box) for box in done["faces_found"])
    data = (tmp_path / "redacted.jpg").read_bytes()
    assert data.count(b"\xff\xd8\xff") == 1 and b"MPF\x00" not in data


@pytest.mark.parametrize(
    ("orientation", "kind", "stored"),
    [
        (8, "PNG", Image.Transpose.ROTATE_270),  # an eXIf chunk
        (5, "WEBP", Image.Transpose.TRANSPOSE),
        (7, "TIFF", Image.Transpose.TRANSVERSE),  # the TIFF's own Orientation tag
    ],
)
def test_exif_orientation_outside_jpeg_is_applied(
    tmp_path: Path, orientation: int, kind: str, stored: Image.Transpose
) -> None:
    """Faces are found upright, so the picture must be turned as a viewer turns it, whatever
    carries the orientation; regions and the output are in the upright picture."""
    path = tmp_path / f"turned.{kind.lower()}"
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(samples.photo("astronaut")).transpose(stored).save(
        path, format=kind, exif=exif.tobytes(), **({"lossless": True} if kind == "WEBP" else {})
    )
    done, (_, pixels) = _redacted_photo(path, tmp_path, faces=True)
    assert done["exif_orientation"] == orientation
    assert any(centre_in(ASTRONAUT_FACE, box) for box in done["faces_found"])
    assert (pixels[400:] == samples.photo("astronaut")[400:]).all()


@pytest.mark.parametrize("turn", [1, 3])
def test_a_face_on_its_side_is_found_and_covered(tmp_path: Path, turn: int) -> None:
    """A person lying down — a casualty on the ground, photographed from above — shows a face
    on its side, which cascades trained on upright faces miss. A photo is searched at a quarter
    turn each way too; the second detector, shown the redaction turned upright, finds no face."""
    astronaut = samples.photo("astronaut")
    path = tmp_path / "lying.png"
    Image.fromarray(np.ascontiguousarray(np.rot90(astronaut, turn))).save(path)
    upright_before = np.ascontiguousarray(np.rot90(np.asarray(Image.open(path)), -turn))
    assert any(centre_in(f, ASTRONAUT_FACE) for f in lbp_faces(upright_before))
    assert not FaceDetector().detect(np.asarray(Image.open(path)))  # upright search: missed
    done, (_, pixels) = _redacted_photo(path, tmp_path, faces=True)
    assert done["detector"]["quarter_turns"] == [0, 1, 3]
    upright_after = np.ascontiguousarray(np.rot90(pixels, -turn))
    assert not [f for f in lbp_faces(upright_after) if centre_in(f, ASTRONAUT_FACE)]
