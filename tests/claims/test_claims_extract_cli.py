"""``enquiry claims extract`` on text and HTML files, without any enquiry home."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from enquiry.cli import main

HTML = """<!DOCTYPE html><html><head><title>Council divided</title>
<meta name="date" content="2017-04-13"></head><body><article><h1>Council divided</h1>
<p>Russia's deputy ambassador Vladimir Safronkov said on Wednesday that the draft resolution
was unacceptable and that Moscow would not support it under any circumstances whatsoever.</p>
<p>"We have clear evidence of what happened in Khan Shaykhun," the French ambassador
Francois Delattre told reporters after the meeting of the Security Council in New York.</p>
</article></body></html>"""


def test_extract_json_offsets_match_the_extracted_text(tmp_path: Path) -> None:
    path = tmp_path / "debate.txt"
    text = "Damascus declared yesterday that the reports were fabricated. Dateline follows.\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["claims", "extract", "--json", "--date", "2017-04-13", str(path)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    claim = payload["claims"][0]
    assert claim["actor"] == "Syria"
    assert claim["source"]["text"] == "Damascus"
    assert text[claim["content"]["start"] : claim["content"]["end"]] == claim["content"]["text"]
    assert (claim["date"], claim["date_phrase"]) == ("2017-04-12", "yesterday")


def test_extract_reads_html_main_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    result = CliRunner().invoke(main, ["claims", "extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    actors = {claim["actor"] for claim in payload["claims"]}
    assert "Vladimir Safronkov" in actors
    assert "Francois Delattre" in actors


def test_extract_refuses_a_file_without_text(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    result = CliRunner().invoke(main, ["claims", "extract", str(path)])
    assert result.exit_code != 0
    assert "photo.jpg" in result.output and "no text" in result.output


def test_extract_reads_a_feed_entry_by_entry() -> None:
    from enquiry.intake.feeds import read_feed

    feed = Path(__file__).parent / "data" / "statements.rss"
    result = CliRunner().invoke(main, ["claims", "extract", "--json", str(feed)])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)["claims"]
    _, entries = read_feed(feed)
    text = "\n\n".join(entry.document() for entry in entries)
    for claim in claims:
        content = claim["content"]
        assert text[content["start"] : content["end"]] == content["text"]
    dates = {(claim["actor"], claim["date_phrase"]): claim["date"] for claim in claims}
    assert dates["Sergei Lavrov", "on Tuesday"] == "2017-04-11"  # before the entry of 12 April
    assert dates["Sergei Lavrov", ""] == "2017-04-12"  # "Lavrov told": the entry's own date
    assert dates["Nikki Haley", "yesterday"] == "2017-04-05"  # "yesterday" in the entry of 6 April


def test_split_quotation_is_one_claim_in_parts(tmp_path: Path) -> None:
    path = tmp_path / "split.txt"
    text = (
        "The hearing opened late.\n\n"
        '"We saw the trucks at dawn," the driver said, "and they were empty."\n'
    )
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["claims", "extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    [claim] = json.loads(result.stdout)["claims"]
    content = claim["content"]
    assert [part["text"] for part in content["parts"]] == [
        '"We saw the trucks at dawn,"',
        '"and they were empty."',
    ]
    for part in content["parts"]:
        assert text[part["start"] : part["end"]] == part["text"]
    assert (content["start"], content["end"]) == (
        content["parts"][0]["start"],
        content["parts"][-1]["end"],
    )
    assert "continuation" not in claim
    assert set(claim) == {
        "source",
        "cue",
        "content",
        "actor",
        "actor_type",
        "title",
        "affiliation",
        "date",
        "date_phrase",
    }
