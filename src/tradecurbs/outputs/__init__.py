"""Outputs for people: pictures drawn from the data (matplotlib is an optional extra)."""
