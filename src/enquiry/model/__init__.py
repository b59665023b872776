"""The domain: evidence kinds as data, field types."""
