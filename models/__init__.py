"""Bedplan domain layer: plain Python, no Qt."""
