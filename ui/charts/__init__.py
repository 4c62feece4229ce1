"""Live occupancy charts in dockable panels, linked to the facility table."""
