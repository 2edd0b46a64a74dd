"""What a publish serves, and the DuckDB storage version it writes the served file in."""

from __future__ import annotations

# The served file is written in DuckDB's v1.0.0 storage format: every DuckDB client from 1.0 on
# reads it (1.0.0 and 1.5.6 checked; the build's own file is in 2.0's format, which 1.x
# refuses). BI drivers lag behind DuckDB releases, so the oldest 1.x format wins.
SERVE_STORAGE_VERSION = "v1.0.0"

MARTS_SCHEMA = "marts"
CONFIG_SCHEMA = "config"
# Seeds that explain a served score, with the columns left out of the served copy: bands,
# signal thresholds and weights (the score), stage rules, flags, actions and alert rules.
# health_weights.author names a person, so it stays in the build; health_overrides (author,
# free-text reason per account) is not served: the mart already shows each applied override.
SERVED_CONFIG: dict[str, tuple[str, ...]] = {
    "alert_rules": (),
    "health_actions": (),
    "health_bands": (),
    "health_flags": (),
    "health_weights": ("author",),
    "lifecycle_stage_rules": (),
    "signal_thresholds": (),
}
