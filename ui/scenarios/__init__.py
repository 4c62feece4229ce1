"""Capacity over time and what-if scenarios: the docks, their editors, chart and results."""
