"""Models of the evaluation domain arrive with their issues (see README, roadmap)."""
