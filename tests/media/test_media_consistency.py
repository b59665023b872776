"""Metadata consistency: pure checks, and `enquiry media check` on items with real EXIF."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from PIL import Image
from sqlalchemy import select

from enquiry.cli import main
from enquiry.enrich import default_extractors
from enquiry.enrich.media import samples
from enquiry.enrich.media.consistency import check_metadata, haversine_km
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, ItemFinding

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _types(fields: dict, meta: dict, media_type: str = "image/jpeg") -> dict[str, str]:
    return {i.type: i.severity for i in check_metadata(fields, meta, media_type, NOW)}


def test_time_zone_aware_comparison() -> None:
    meta = {
        "photo": {
            "taken_at": "2017-04-04T06:40:00",
            "offset": "+03:00",
            "make": "x",
            "model": "y",
            "exif": True,
        }
    }
    assert _types({"claimed_at": "2017-04-04T03:45:00Z"}, meta) == {}  # same instant in UTC
    found = check_metadata({"claimed_at": "2017-04-04T06:45:00Z"}, meta, "image/jpeg", NOW)
    assert [i.type for i in found] == ["time_mismatch"] and found[0].severity == "medium"
    assert found[0].inputs["difference_hours"] == [-3.083, -3.083]
    # Without an offset the camera clock could be in any zone: 3 hours apart is not a finding,
    # two years apart is, whatever the zone.
    naive = {"photo": {"taken_at": "2017-04-04T06:40:00", "make": "x", "model": "y"}}
    assert _types({"claimed_at": "2017-04-04T06:45:00Z"}, naive) == {}
    old = {"photo": {"taken_at": "2015-06-02T10:00:00", "make": "x", "model": "y"}}
    recycled = check_metadata({"claimed_at": "2017-04-04T06:45:00+03:00"}, old, "image/jpeg", NOW)
    assert recycled[0].type == "time_mismatch" and recycled[0].severity == "high"
    assert "before the claimed time" in recycled[0].message
    assert not recycled[0].inputs["zone_known"]


def test_place_software_missing_and_impossible() -> None:
    assert 39 < haversine_km((35.4375, 36.6444), (35.8, 36.6444)) < 41
    meta = {
        "photo": {
            "gps": {"lat": 36.2, "lon": 37.15},
            "software": "GIMP 2.10",
            "make": "x",
            "model": "y",
            "taken_at": "2031-01-01T00:00:00",
        }
    }
    found = {
        i.type: i
        for i in check_metadata(
            {"claimed_place": {"lat": 35.4375, "lon": 36.6444}}, meta, "image/jpeg", NOW
        )
    }
    assert found["place_mismatch"].severity == "high"
    assert 90 < found["place_mismatch"].inputs["distance_km"] < 100
    assert found["editing_software"].inputs["matched"] == "gimp"
    assert (
        found["impossible_value"].severity == "high"
        and "future" in found["impossible_value"].message
    )
    assert _types({}, {"photo": {"exif": False}}) == {"metadata_missing": "info"}
    assert _types({}, {"video": {"duration_s": 4.0}}, "video/mp4") == {"metadata_missing": "info"}
    odd = {
        "photo": {
            "gps": {"lat": 0.0, "lon": 0.0},
            "offset": "+19:00",
            "make": "x",
            "model": "y",
            "taken_at": "1970-01-01T00:00:00",
        }
    }
    assert (
        len([i for i in check_metadata({}, odd, "image/jpeg", NOW) if i.type == "impossible_value"])
        == 3
    )
    video = {
        "video": {
            "creation_time": "2017-04-04T03:50:00.000000Z",
            "encoder": "Lavf58.29.100",
            "location": "+35.4375+036.6444/",
        }
    }
    fields = {
        "claimed_at": "2017-04-04T06:45:00+03:00",
        "claimed_place": {"lat": 35.44, "lon": 36.64},
    }
    assert _types(fields, video, "video/mp4") == {"reencoded": "info"}


def test_check_command_records_findings_with_inputs(
    backend: str, home: Path, tmp_path: Path
) -> None:
    image = Image.fromarray(samples.photo("coffee"))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = "Canon", "EOS 5D", "Adobe Photoshop CC 2015"
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003], exif_ifd[0x9011] = "2015:06:02 10:00:00", "+03:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (36.0, 12.0, 0.0), "E", (37.0, 9.0, 0.0)  # Aleppo
    image.save(tmp_path / "claimed.jpg", exif=exif, quality=90)
    store = open_store(home, "tester")
    fields = {"claimed_at": "2017-04-04T06:45:00+03:00", "claimed_place": "35.4375,36.6444"}
    report = add_paths(
        store,
        [tmp_path / "claimed.jpg"],
        IntakeOptions(case="test", fields=fields, progress=False, jobs=1),
        default_extractors(),
    )
    item_id = report.results[0].item_id
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(home), "media", "check", str(item_id), "--json"])
    assert result.exit_code == 0, result.output
    findings = {f["type"]: f for f in json.loads(result.output)["items"][0]["findings"]}
    assert set(findings) == {"time_mismatch", "place_mismatch", "editing_software"}
    assert findings["time_mismatch"]["inputs"]["capture_time"] == "2015-06-02T10:00:00+03:00"
    # run twice: the findings are replaced, not doubled, and each run is in the ledger
    runner.invoke(main, ["--home", str(home), "media", "check", str(item_id)])
    sun_args = [
        "--home",
        str(home),
        "media",
        "sun",
        "--lat",
        "35.4375",
        "--lon",
        "36.6444",
        "--time",
        "2017-04-04T12:45+03:00",
        "--shadow-bearing",
        "266",
        "--item",
        str(item_id),
    ]
    assert runner.invoke(main, sun_args).exit_code == 0
    with store.session() as session:
        rows = session.scalars(select(ItemFinding).where(ItemFinding.item_id == item_id)).all()
        events = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "analysed")
        ).all()
    assert sorted(r.type for r in rows) == [
        "editing_software",
        "place_mismatch",
        "sun_mismatch",
        "time_mismatch",
    ]
    place = next(r for r in rows if r.type == "place_mismatch")
    assert (
        place.inputs["claimed_place"] == [35.4375, 36.6444]
        and place.enricher == "media.consistency"
    )
    assert len(events) == 3
    assert runner.invoke(main, ["--home", str(home), "verify"]).exit_code == 0


def test_captured_at_and_location_fields_are_checked_too() -> None:
    meta = {
        "photo": {
            "taken_at": "2017-04-04T06:40:00",
            "offset": "+03:00",
            "make": "x",
            "model": "y",
            "gps": {"lat": 35.4375, "lon": 36.6444},
        }
    }
    fields = {"captured_at": "2016-04-04T06:40:00+03:00", "location": "36.2,37.15"}
    found = {i.type: i for i in check_metadata(fields, meta, "image/jpeg", NOW)}
    assert found["time_mismatch"].inputs["claim_field"] == "captured_at"
    assert "captured_at field" in found["time_mismatch"].message
    assert found["place_mismatch"].inputs["claim_field"] == "location"
    # the field that supplied the capture time is not compared with itself
    assert (
        check_metadata(
            {"captured_at": "2016-04-04T06:40:00Z", "claimed_at": "2016-04-04T06:50:00Z"},
            {},
            "image/jpeg",
            NOW,
        )
        == []
    )


def test_a_claimed_day_covers_the_whole_day() -> None:
    """A bare date (stored by intake as a midnight without a zone) is a day, not 00:00."""
    meta = {
        "photo": {"taken_at": "2017-04-04T17:20:05", "offset": "+03:00", "make": "x", "model": "y"}
    }
    assert _types({"claimed_at": "2017-04-04"}, meta) == {}
    assert _types({"claimed_at": "2017-04-04T00:00:00"}, meta) == {}
    [late] = check_metadata({"claimed_at": "2017-04-06"}, meta, "image/jpeg", NOW)
    assert late.type == "time_mismatch" and late.inputs["whole_day"]
    assert "before the claimed day 2017-04-06" in late.message
    # a moment is still a moment
    assert _types({"claimed_at": "2017-04-04T06:45+03:00"}, meta) == {"time_mismatch": "medium"}
