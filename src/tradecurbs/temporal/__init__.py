"""Measures over time: a record's status on any date, derived from its dated steps.

``status.py`` holds the rules (pure Python, no pandas), ``measures.py`` the one view
across the measure tables and a record's history, ``current.py`` what stands today.
The rules are documented in docs/history.md.
"""
