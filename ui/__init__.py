"""Bedplan user interface: Qt adapters, widgets and the controller."""
