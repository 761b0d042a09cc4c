"""Record linkage for the registry: normalisation, blocking keys, a Fellegi–Sunter model.

Pure Python on plain records, so the product (`candidates_for`), the batch deduplication and
`manage.py match_csv` run the very same code.
"""
