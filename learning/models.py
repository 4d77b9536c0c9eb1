"""Models of the learning domain arrive with their issues (see README, roadmap)."""
