"""Python tools beside the dbt project: sample data generator, checks and helpers."""
