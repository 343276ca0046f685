"""The lossless YAML engine: libyaml events → positioned node tree → patches → verified text."""
