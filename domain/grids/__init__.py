"""The district's map: area codes, grid boundaries over time, and locating a point."""
