"""The dashboards' views, one module per audience."""
