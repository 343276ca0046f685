"""Front-matter formats: each parses its text into positioned data and writes edits back as
patches of its own text. YAML (``formats.yaml``) is the first."""
