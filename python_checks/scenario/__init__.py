"""What-if tools for the health weights, without touching the production database.

- `compare`: re-score under an alternative weights file (the format of seeds/health_weights.csv)
  in a copy of the project and of the build database, and compare the marts: band migration,
  accounts changing band, mean score, alert volume.
- `what-if`: the score one account would get today if one signal had another value.
"""
