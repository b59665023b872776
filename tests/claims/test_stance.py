"""The shipped stance model and ``claims stance-pairs``, through the real embedder and weights."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from numpy.typing import NDArray

from enquiry.app.stance import read_pairs, stance_pairs
from enquiry.cli import main
from enquiry.enrich.text.embed import Embedder, default_embedder
from enquiry.enrich.text.stance import (
    AS_HYPOTHESIS_STANCE,
    CLASSES,
    FEATURES,
    MARKS,
    MAX_SENTENCES,
    SCALARS,
    StanceModel,
    WordModel,
    default_model,
    feature_matrix,
    marks,
    sentences,
)
from enquiry.errors import BadRequest

CLAIM = "Syrian government aircraft dropped sarin on Khan Shaykhun"
DENIAL = "Syria denies dropping sarin on Khan Shaykhun, calls reports a fabrication"
CONFIRMATION = "Syrian aircraft dropped sarin on Khan Shaykhun, investigators confirm"
ELSEWHERE = "Manchester United beat Chelsea 2-1 in a late Premier League thriller"
# A whole article that supports the claim and mentions a denial only in an unrelated aside.
ARTICLE = (
    "Investigators of the Organisation for the Prohibition of Chemical Weapons concluded on "
    "Thursday that Syrian government aircraft dropped sarin on Khan Shaykhun in April. "
    "Their report says samples from the crater and from victims contained sarin and its "
    "markers, and that a Syrian Su-22 jet was over the town at the time of the attack. "
    "The investigators said the evidence was conclusive. "
    "Separately, a football club denied reports that its manager had resigned, calling them "
    "fake news. The club said the rumour was false and baseless. "
    "Diplomats at the United Nations said the report would be discussed next week."
)


class CountingEmbedder:
    """The real embedder, with a record of every text it was asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def embed(self, texts: list[str], batch_size: int = 4) -> NDArray[np.float32]:
        self.asked.extend(texts)
        return self.inner.embed(texts, batch_size)


class Recorder:
    """Progress that remembers stages and how far each went."""

    def __init__(self) -> None:
        self.stages: dict[str, list[int | None]] = {}
        self.current = ""

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        self.current = stage
        self.stages[stage] = [total, 0]

    def advance(self, amount: int = 1) -> None:
        done = self.stages[self.current][1]
        assert done is not None
        self.stages[self.current][1] = done + amount

    def problem(self, line: str) -> None:
        raise AssertionError(line)

    def finish(self) -> None:
        return None


def test_model_is_small_and_complete() -> None:
    path = resources.files("enquiry.enrich.text").joinpath("stance.npz")
    model = StanceModel.load()
    assert model.classes == CLASSES
    assert model.layers[0][0].shape[0] == FEATURES
    assert model.layers[-1][0].shape[1] == len(CLASSES)
    assert model.temperatures.shape == (2,)
    assert ((model.temperatures > 0.2) & (model.temperatures < 8)).all()
    assert len(path.read_bytes()) < 3 * 1024 * 1024


def test_sentences_keep_abbreviations_and_cap_long_texts() -> None:
    assert sentences("U.S. officials said the strike hit. Mr. Smith denied it! Really?") == [
        "U.S. officials said the strike hit.",
        "Mr. Smith denied it!",
        "Really?",
    ]
    assert sentences("A headline without a full stop") == ["A headline without a full stop"]
    long = " ".join(f"Sentence number {n} is here." for n in range(MAX_SENTENCES + 30))
    assert len(sentences(long)) == MAX_SENTENCES


ASIDE = (
    "Separately, a football club denied reports that its manager had resigned, calling them "
    "fake news. The club said the rumour was false and baseless. "
)
ASSERTING = (
    "Syrian government aircraft dropped sarin on Khan Shaykhun, killing dozens, the OPCW "
    "confirmed on Thursday. "
)
DENYING = (
    "The Syrian government denied that its aircraft dropped sarin on Khan Shaykhun, calling the "
    "accusation a fabrication. Damascus said no chemical weapons were used and that the reports "
    "were fake. "
)


def test_clear_cases_headlines_and_articles() -> None:
    model = default_model()
    plain = ARTICLE.replace(ASIDE, "")
    texts = [DENIAL, CONFIRMATION, ELSEWHERE, ARTICLE, plain, ASSERTING + plain, DENYING + plain]
    denial, confirmation, elsewhere, article, bare, asserting, denying = model.predict(
        [CLAIM] * len(texts), texts, default_embedder()
    )
    assert denial.label == "refutes"
    assert confirmation.probabilities["supports"] > denial.probabilities["supports"]
    assert elsewhere.label == "unrelated"
    # A denial in an unrelated aside does not make the article refute the claim: the sentences
    # read are the ones about the claim.
    assert article.label in ("supports", "discusses"), article.probabilities
    assert article.probabilities["refutes"] < 0.25
    # A lead that asserts the claim moves the article toward supports, one that denies it toward
    # refutes.
    assert asserting.probabilities["supports"] > 2 * bare.probabilities["supports"]
    assert denying.probabilities["refutes"] > 2 * bare.probabilities["refutes"]
    for stance in (denial, confirmation, elsewhere, article, bare, asserting, denying):
        assert set(stance.probabilities) == set(CLASSES)
        assert abs(sum(stance.probabilities.values()) - 1) < 1e-6
        assert stance.score == max(stance.probabilities.values())
        assert stance.toward_hypothesis == AS_HYPOTHESIS_STANCE[stance.label]


DAM = "A dam on the Kakhovka river was blown up by the army on Tuesday."
DAM_DENIED = (
    "Officials denied that the army blew up the dam, calling the claim a fabrication. The "
    "ministry said the dam collapsed after years of neglect and that reports of an explosion "
    "were false. Residents downstream were evacuated as water rose."
)
DAM_CONFIRMED = (
    "Engineers confirmed on Wednesday that explosives destroyed the dam's central section. The "
    "army blew up the dam on Tuesday, investigators said, citing seismic readings that show a "
    "blast. Residents downstream were evacuated as water rose."
)
DAM_OPEN = (
    "It is not yet clear what caused the dam to collapse. Some reports claim the army may have "
    "blown it up, while others suggest structural failure. Investigators said they would "
    "examine the site."
)


def test_an_article_on_a_story_of_its_own_is_read_by_what_it_does_with_the_claim() -> None:
    # Three articles on one story, none of which any training text was about: the network
    # reads how each treats the claim, not which story it tells (a network that read the
    # claim's embedding against the article's took the open question for a denial).
    denied, confirmed, open_question = default_model().predict(
        [DAM] * 3, [DAM_DENIED, DAM_CONFIRMED, DAM_OPEN], default_embedder()
    )
    assert denied.label == "refutes", denied.probabilities
    assert open_question.label == "discusses", open_question.probabilities
    assert confirmed.label == "supports", confirmed.probabilities
    assert confirmed.probabilities["supports"] > 3 * denied.probabilities["supports"]
    assert denied.probabilities["refutes"] > 3 * confirmed.probabilities["refutes"]
    assert model_reads_no_embedding()


def model_reads_no_embedding() -> bool:
    """The network's rows are the named numbers alone: no coordinate of an embedding, no flag
    of a particular word, either of which lets it learn the stories of its training data."""
    rows = feature_matrix([DAM], [DAM_OPEN], default_embedder())
    return rows.shape == (1, len(SCALARS)) and default_model().mean.shape == (len(SCALARS),)


def test_each_distinct_text_is_embedded_once() -> None:
    counting = CountingEmbedder(default_embedder())
    claims = [CLAIM, CLAIM, ELSEWHERE, CLAIM]
    texts = [ARTICLE, DENIAL, ARTICLE, ARTICLE]
    stances = default_model().predict(claims, texts, counting)
    assert len(stances) == 4
    assert len(counting.asked) == len(set(counting.asked))
    assert set(counting.asked) == {CLAIM, ELSEWHERE, DENIAL, *sentences(ARTICLE)}
    # The same pair gives the same answer wherever it stands in the batch.
    assert stances[0] == stances[3]


def _write(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows),
        encoding="utf-8",
    )
    return path


PAIRS: list[dict[str, Any]] = [
    {"id": "a1", "claim": CLAIM, "text": DENIAL},
    {"id": 2, "claim": CLAIM, "text": ARTICLE},
    {"id": "a3", "claim": CLAIM, "text": ELSEWHERE},
    {"id": "a4", "claim": "A shark was seen swimming on a flooded highway", "text": ARTICLE},
]


def test_stance_pairs_command_writes_one_exact_line_per_pair(tmp_path: Path) -> None:
    path = _write(tmp_path / "pairs.jsonl", [*PAIRS[:2], "", *PAIRS[2:]])
    result = CliRunner().invoke(main, ["claims", "stance-pairs", str(path), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a1", 2, "a3", "a4"]
    for line in lines:
        assert list(line) == ["id", "stance", "scores"]
        assert line["stance"] in CLASSES
        assert list(line["scores"]) == list(CLASSES)
        assert line["stance"] == max(line["scores"], key=line["scores"].get)
        assert abs(sum(line["scores"].values()) - 1) < 1e-3
    stances = [line["stance"] for line in lines]
    assert (stances[0], stances[2], stances[3]) == ("refutes", "unrelated", "unrelated")
    assert stances[1] in ("supports", "discusses")
    # The same pairs through the model directly give the same answer.
    direct = default_model().predict(
        [p["claim"] for p in PAIRS], [p["text"] for p in PAIRS], default_embedder()
    )
    assert [s.label for s in direct] == [line["stance"] for line in lines]
    # Without --json, a summary follows on standard error and standard output is unchanged.
    plain = CliRunner().invoke(main, ["claims", "stance-pairs", str(path)])
    assert plain.exit_code == 0, plain.output
    assert plain.stdout == result.stdout
    counts = ", ".join(f"{name} {stances.count(name)}" for name in CLASSES)
    assert f"4 pairs: {counts}" in plain.stderr


def test_stance_pairs_reports_progress_of_both_stages(tmp_path: Path) -> None:
    path = _write(tmp_path / "pairs.jsonl", PAIRS)
    recorder = Recorder()
    found = stance_pairs(path, recorder, embedder=Embedder())
    assert len(found) == len(PAIRS)
    embedded = recorder.stages["embedding sentences"]
    assert embedded[0] == embedded[1] and embedded[0] is not None and embedded[0] > len(PAIRS)
    assert recorder.stages["reading pairs"] == [len(PAIRS), len(PAIRS)]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([PAIRS[0], "{not json"], "line 2: not a JSON object"),
        ([PAIRS[0], PAIRS[1], {"id": "x", "claim": CLAIM}], "line 3: no text"),
        ([["a", "b"]], "line 1: not a JSON object"),
        ([{"id": True, "claim": CLAIM, "text": ""}], "line 1: id must be a string or an integer"),
        ([{"id": "x", "claim": "  ", "text": DENIAL}], "line 1: claim must be a non-empty string"),
        ([{"id": "x", "claim": CLAIM, "text": 5}], "line 1: text must be a string"),
        ([PAIRS[0], PAIRS[0]], "line 2: id 'a1' already on line 1"),
        ([], "no pairs"),
        (
            [PAIRS[0], '{"id": ' + "1" * 5000 + ', "claim": "x", "text": "y"}'],
            "line 2: a number of more than 4300 digits",
        ),
        (['{"id": 1, "claim": "x", "text": "y", "n": ' + "9" * 5000 + "}"], "line 1: a number"),
        (['{"id": 1, "id": 2, "claim": "x", "text": "y"}'], "line 1: key 'id' appears twice"),
        (['{"id": 1, "claim": "x", "text": "y", "m": {"a": 1, "a": 1}}'], "key 'a' appears twice"),
        (
            [r'{"id": "\ud800", "claim": "The border is closed.", "text": "y"}'],
            "line 1: lone surrogate in the id",
        ),
        (
            [r'{"id": 1, "claim": "The border \udc80 is closed.", "text": "Officials said so."}'],
            "line 1: lone surrogate in the claim",
        ),
        (
            [PAIRS[0], r'{"id": 2, "claim": "The border is closed.", "text": "Said \udbff."}'],
            "line 2: lone surrogate in the text",
        ),
    ],
)
def test_bad_lines_stop_before_any_output(tmp_path: Path, lines: list[Any], expected: str) -> None:
    path = _write(tmp_path / "bad.jsonl", lines)
    result = CliRunner().invoke(main, ["claims", "stance-pairs", "--json", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_surrogate_pair_escape_is_one_character_and_is_kept(tmp_path: Path) -> None:
    path = _write(tmp_path / "emoji.jsonl", [r'{"id": "\ud83d\ude00", "claim": "x", "text": "y"}'])
    assert [pair.id for pair in read_pairs(path)] == ["\N{GRINNING FACE}"]


def test_undecodable_missing_and_directory_inputs(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(PAIRS[0]).encode() + b"\n" + b'{"id": "x", "claim": "caf\xe9"}\n')
    with pytest.raises(BadRequest, match="line 2: not UTF-8 text"):
        read_pairs(path)
    with pytest.raises(BadRequest, match="no such file"):
        read_pairs(tmp_path / "absent.jsonl")
    with pytest.raises(BadRequest, match="not a file"):
        read_pairs(tmp_path)
    result = CliRunner().invoke(main, ["claims", "stance-pairs", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "absent.jsonl: no such file" in result.stderr


def test_empty_or_wordless_text_is_unrelated(tmp_path: Path) -> None:
    rows = [{"id": n, "claim": CLAIM, "text": text} for n, text in enumerate(["", " \n\n ", "?!"])]
    found = stance_pairs(_write(tmp_path / "empty.jsonl", rows))
    assert [row.stance for row in found] == ["unrelated"] * 3


def test_word_model_is_tf_idf_and_a_softmax_over_three_stances() -> None:
    vocabulary = ["?", "a hoax", "hoax", "is"]
    idf = np.array([1.0, 1.5, 2.0, 1.2])
    coef = np.array([[0.5, -1.0, -2.0, 0.3], [0.1, 2.0, 3.0, 0.0], [1.0, 0.0, 0.0, 0.2]])
    intercept = np.array([0.2, -0.1, 0.0])
    model = WordModel(vocabulary, idf, coef, intercept, marked=())
    # "is" once, "hoax" twice, "?" once, "a hoax" once; "it", "it a" ... are not known
    tf = np.array([1.0, 1.0, 1.0 + np.log(2.0), 1.0]) * idf
    row = tf / np.linalg.norm(tf)
    logits = coef @ row + intercept
    expected = np.exp(logits) / np.exp(logits).sum()
    got = model.probabilities([CLAIM, CLAIM], ["Is it a hoax? Hoax", "nothing known here"])
    assert got[0] == pytest.approx(expected)
    assert got[1] == pytest.approx(np.exp(intercept) / np.exp(intercept).sum())
    with pytest.raises(ValueError, match="do not match"):
        WordModel(vocabulary, idf[:3], coef, intercept, marked=())
    with pytest.raises(ValueError, match="do not match"):  # marks expected, none learnt
        WordModel(vocabulary, idf, coef, intercept)
    with pytest.raises(ValueError, match="unknown marks"):
        WordModel(vocabulary, idf, np.zeros((3, 5)), intercept, marked=("no_such_mark",))
    with pytest.raises(ValueError, match="1 claims for 2 texts"):
        model.probabilities([CLAIM], ["a", "b"])


def test_word_model_adds_the_marks_of_a_headline_toward_its_claim() -> None:
    vocabulary = ["hoax", "is"]
    idf = np.array([2.0, 1.0])
    coef = np.zeros((3, 2 + len(MARKS)))
    coef[1, 2 + MARKS.index("negation_not_in_claim")] = 3.0
    model = WordModel(vocabulary, idf, coef, np.zeros(3))
    claim = "Tesla is building its gigafactory in Texas"
    own, quoted = (
        "Tesla will build its Gigafactory in Nevada, not Texas",
        "Not in Texas, Tesla says",
    )
    p = model.probabilities([claim, claim, "Tesla is not building in Texas"], [own, own, quoted])
    e = np.exp(3.0)
    assert p[0] == pytest.approx([1 / (e + 2), e / (e + 2), 1 / (e + 2)])
    assert p[2] == pytest.approx([1 / 3] * 3)  # the claim says "not" too: not the text's own
    assert WordModel.from_parameters(model.parameters()).marked == MARKS  # type: ignore[union-attr]


def test_marks_tell_a_headlines_own_denial_label_and_question_from_its_words() -> None:
    def of(claim: str, text: str) -> dict[str, float]:
        return dict(zip(MARKS, marks(claim, text).tolist(), strict=True))

    claim = "A ghost ship full of rats is heading for Britain"
    denial = of(claim, "No, a ghost ship full of rats is not heading for Britain")
    assert denial["opens_with_no"] == 1 and denial["negation_not_in_claim"] == 1
    assert denial["claim_words_found"] == 1.0
    rumour = of(claim, "Rumor: 'cannibal rats' ship could hit UK?")
    assert rumour["colon"] == rumour["ends_in_question"] == 1
    assert rumour["hedging"] == 1 and rumour["opens_with_no"] == 0 and rumour["negated"] == 0
    assert of(claim, "North Korea says nothing")["opens_with_no"] == 0
    hoax = of("The rat ship is a hoax", "Rat ship hoax spreads online")
    assert hoax["refuting"] == 1 and hoax["claim_refuting"] == 1
    assert hoax["refuting_not_in_claim"] == 0
    assert rumour["attributed"] == 1 and denial["attributed"] == 0
    assert of(claim, "Ghost ship heading for Britain, coastguard says")["attributed"] == 1
    assert of(claim, "Rat ship off Cornwall, according to reports")["attributed"] == 1
    priest = "A priest who was declared dead says he met God"
    assert of(priest, "Priest says he met God")["attributed"] == 0  # the claim's own word


def test_a_word_model_learnt_with_fewer_marks_reads_those_it_was_learnt_with() -> None:
    earlier = MARKS[:3]  # as a model stored before later marks were added
    coef = np.zeros((3, 1 + len(earlier)))
    coef[1, 1 + earlier.index("refuting")] = 2.0
    model = WordModel(["hoax"], np.array([1.0]), coef, np.zeros(3), marked=earlier)
    stored = WordModel.from_parameters(model.parameters())
    assert stored is not None and stored.marked == earlier
    p = stored.probabilities(["The ship is heading for Britain"], ["Ship story is fake"])[0]
    e = np.exp(2.0)
    assert p == pytest.approx([1 / (e + 2), e / (e + 2), 1 / (e + 2)])


def test_headlines_are_read_by_their_words_too_and_articles_by_the_network_alone() -> None:
    model = default_model()
    assert model.words is not None and "words" in model.name
    texts = [DENIAL, ARTICLE]
    rows = feature_matrix([CLAIM, CLAIM], texts, default_embedder())
    network = model.probabilities(rows)
    both = model.probabilities(rows, texts, [CLAIM, CLAIM])
    assert both.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert both[1] == pytest.approx(network[1])
    assert both[0, :3] != pytest.approx(network[0, :3])
    assert both[0, 3] == pytest.approx(network[0, 3])
    said = model.words.probabilities([CLAIM], [DENIAL])[0]
    related = network[0, :3] / network[0, :3].sum()
    assert both[0, :3] / both[0, :3].sum() == pytest.approx((said + related) / 2)
    assert [s.label for s in model.predict([CLAIM], [DENIAL], default_embedder())] == ["refutes"]


def test_a_line_of_many_megabytes_is_named_without_being_read_whole(tmp_path: Path) -> None:
    """A pairs file may come from anyone: one line of 40 MB is refused by its number, and no
    more than the line limit is held in memory to find that out."""
    import tracemalloc

    from enquiry.app.stance import MAX_LINE_BYTES

    path = tmp_path / "pairs.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"id": 1, "claim": "c", "text": "ok"}\n')
        handle.write(b'{"id": 2, "claim": "c", "text": "' + b"x" * (40 << 20))
    tracemalloc.start()
    try:
        with pytest.raises(BadRequest, match=r"line 2.*longer than"):
            read_pairs(path)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MAX_LINE_BYTES < 40 << 20, peak  # the line itself is never held
