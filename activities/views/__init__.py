"""Thin views, one URL per action: access helper → form → service → redirect."""
