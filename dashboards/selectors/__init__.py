"""What the dashboards read and summarise, one module per audience."""
