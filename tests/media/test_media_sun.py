"""Solar position against pvlib's SPA and a published table; shadow time windows."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from click.testing import CliRunner

from enquiry.cli import main
from enquiry.enrich.media import sun

KHAN_SHAYKHUN = (35.4375, 36.6444)
SYRIA = timezone(timedelta(hours=3))


def test_positions_agree_with_pvlib_spa_to_a_tenth_of_a_degree() -> None:
    rng = np.random.default_rng(4)
    checked = 0
    while checked < 150:
        lat, lon = rng.uniform(-66, 66), rng.uniform(-180, 180)
        when = datetime(1995, 1, 1, tzinfo=UTC) + timedelta(
            seconds=int(rng.integers(0, 40 * 365 * 86400))
        )
        spa = pvlib.solarposition.get_solarposition(pd.DatetimeIndex([when]), lat, lon)
        reference_elevation = float(spa["apparent_elevation"].iloc[0])
        if not 1 < reference_elevation < 85:  # azimuth is ill-defined at the zenith
            continue
        ours = sun.position(lat, lon, when)
        assert abs(ours.elevation - reference_elevation) <= 0.1
        assert sun.angle_between(ours.azimuth, float(spa["azimuth"].iloc[0])) <= 0.1
        assert abs(ours.elevation_geometric - float(spa["elevation"].iloc[0])) <= 0.1
        checked += 1


def test_published_spa_example() -> None:
    # Reda & Andreas, NREL SPA (2004/2008), Table A5.1: Golden, Colorado, 17 Oct 2003 12:30:30
    # local (UTC-7): topocentric zenith 50.11162°, azimuth 194.34024°.
    when = datetime(2003, 10, 17, 12, 30, 30, tzinfo=timezone(timedelta(hours=-7)))
    ours = sun.position(39.742476, -105.1786, when)
    assert abs(ours.azimuth - 194.34024) <= 0.1
    assert abs(ours.elevation - (90 - 50.11162)) <= 0.1


def test_windows_contain_the_time_whose_shadow_was_measured() -> None:
    when = datetime(2017, 4, 4, 6, 45, tzinfo=SYRIA)
    truth = sun.position(*KHAN_SHAYKHUN, when)
    assert (
        truth.shadow_bearing is not None and 250 < truth.shadow_bearing < 280
    )  # early morning: west
    spans = sun.windows(*KHAN_SHAYKHUN, when.date(), SYRIA, truth.shadow_bearing, None)
    assert any(w.start <= when <= w.end for w in spans)
    noon = datetime(2017, 4, 4, 12, 45, tzinfo=SYRIA)
    assert not any(w.start <= noon <= w.end for w in spans)
    # with the shadow's length the afternoon twin of the bearing is excluded too
    height = 1.0
    length = height / math.tan(math.radians(truth.elevation))
    elevation = sun.elevation_from_shadow(height, length)
    both = sun.windows(*KHAN_SHAYKHUN, when.date(), SYRIA, truth.shadow_bearing, elevation)
    assert len(both) == 1 and both[0].start <= when <= both[0].end
    assert both[0].end - both[0].start < timedelta(hours=1)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError):
        sun.position(95, 0, datetime(2017, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        sun.elevation_from_shadow(0, 3)
    with pytest.raises(ValueError):
        sun.windows(0, 0, date(2017, 1, 1), UTC, None, None)


def test_sun_command_reports_and_records_a_mismatch(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
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
        "--json",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["fits"] is False and data["bearing_error"] > 90
    assert data["windows"] and data["windows"][0]["start"].startswith("2017-04-04T06:")
    text = runner.invoke(main, args[:-1])
    assert "DOES NOT FIT" in text.output and "fits from 2017-04-04T06:" in text.output
    bad = runner.invoke(main, ["media", "sun", "--lat", "35", "--lon", "36", "--time", "yesterday"])
    assert bad.exit_code != 0 and "yesterday" in bad.output
