"""Use cases of the evaluations service, over repository Protocols."""
