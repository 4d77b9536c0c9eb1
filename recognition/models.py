"""Models of the recognition domain arrive with their issues (see README, roadmap)."""
