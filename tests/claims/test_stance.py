"""The shipped stance model: small, loadable with numpy alone, and sensible on clear cases."""

from __future__ import annotations

from importlib import resources

from enquiry.enrich.text.embed import default_embedder
from enquiry.enrich.text.stance import CLASSES, StanceModel, features


def test_model_is_small_and_complete() -> None:
    path = resources.files("enquiry.enrich.text").joinpath("stance.npz")
    assert path.is_file()
    model = StanceModel.load()
    assert model.classes == CLASSES
    assert model.weights.shape == (3, features("a", "b", 0.0).shape[0])
    assert len(path.read_bytes()) < 3 * 1024 * 1024


def test_denial_is_against_and_report_is_for() -> None:
    model = StanceModel.load()
    claim = "Syrian government aircraft dropped sarin on Khan Shaykhun"
    texts = [
        "Syria denies dropping sarin on Khan Shaykhun, calls reports a fabrication",
        "Syrian aircraft dropped sarin on Khan Shaykhun, investigators confirm",
    ]
    denial, report = model.predict([claim, claim], texts, default_embedder())
    assert denial.label == "against"
    assert report.probabilities["for"] > denial.probabilities["for"]
