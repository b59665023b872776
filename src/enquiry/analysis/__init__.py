"""Analysis: pure functions from an AnalysisInput to a result; no database."""
