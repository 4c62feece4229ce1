"""Importing spreadsheets nobody designed for Bedplan: sniff, read in a sandbox, detect, map, convert, merge.

The package imports nothing heavy at load time: ``child.py`` runs in a separate process and must
start fast.
"""
