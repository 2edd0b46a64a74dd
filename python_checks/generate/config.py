"""Parameters of one generator run and the dirt classes it can inject."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

CONTRACT_VERSION = 1

# Dirt classes and their default rates (share of eligible rows, or of accounts for
# `test_accounts`). `mixed_offsets` is a per-file property, so any rate above 0 switches it on.
DEFAULT_DIRT_RATES: Mapping[str, float] = MappingProxyType(
    {
        "resync_duplicates": 0.02,
        "soft_deletes": 0.01,
        "test_accounts": 0.01,
        "orphan_foreign_keys": 0.005,
        "nulls": 0.01,
        "messy_emails": 0.02,
        "mixed_offsets": 1.0,
        "clock_skew": 0.002,
        "zero_and_refunds": 0.02,
        "out_of_set_values": 0.005,
        "negative_amounts": 0.005,
    }
)
DIRT_CLASSES: tuple[str, ...] = tuple(DEFAULT_DIRT_RATES)

# Nulls in the explicit cross-system ids (organization.external_id, customer.metadata's
# crm_account_id, response.account_id) are what makes the domain fallback of the identity
# rules necessary, so they come at a multiple of the `nulls` rate.
IDENTITY_NULL_MULTIPLIER = 4.0

# Accounts are generated in chunks of this many: memory stays bounded and the output does not
# depend on anything but the parameters below.
CHUNK_ACCOUNTS = 400


class ConfigError(ValueError):
    """A parameter combination the generator refuses."""


@dataclass(frozen=True)
class GenerateConfig:
    """All parameters of one run; a fixed seed and dates make the output fully deterministic."""

    accounts: int = 2000
    seed: int = 42
    start: date = date(2024, 11, 1)
    end: date = date(2026, 10, 31)
    out: Path = Path("data/raw")
    truth: Path = Path("data/truth")
    batches: int = 3
    events_per_account_day: float = 1.4
    dirt_scale: float = 1.0
    dirt: Mapping[str, float] = field(default_factory=dict)
    chunk_accounts: int = CHUNK_ACCOUNTS
    quiet: bool = False

    def __post_init__(self) -> None:
        unknown = sorted(set(self.dirt) - set(DIRT_CLASSES))
        if unknown:
            raise ConfigError(f"unknown dirt class(es) {unknown}; known: {list(DIRT_CLASSES)}")
        if self.accounts < 1:
            raise ConfigError("--accounts must be at least 1")
        if self.batches < 1:
            raise ConfigError("--batches must be at least 1")
        if self.end < self.start:
            raise ConfigError("--end must not be before --start")
        if (self.end - self.start).days < 27:
            raise ConfigError("the window from --start to --end must span at least 28 days")
        if self.events_per_account_day < 0:
            raise ConfigError("--events-per-account-day must not be negative")
        if self.dirt_scale < 0 or any(rate < 0 for rate in self.dirt.values()):
            raise ConfigError("dirt rates and --dirt-scale must not be negative")
        if self.chunk_accounts < 1:
            raise ConfigError("chunk_accounts must be at least 1")
        out, truth = self.out.resolve(), self.truth.resolve()
        if out == truth or truth in out.parents or out in truth.parents:
            raise ConfigError(f"--out ({out}) and --truth ({truth}) must not contain each other")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dirt_rate(self, dirt_class: str) -> float:
        """Effective rate of one dirt class: its setting times `dirt_scale`, capped at 1."""
        base = self.dirt.get(dirt_class, DEFAULT_DIRT_RATES[dirt_class])
        return min(1.0, base * self.dirt_scale)

    def dirt_rates(self) -> dict[str, float]:
        return {name: self.dirt_rate(name) for name in DIRT_CLASSES}

    def as_manifest(self) -> dict[str, object]:
        return {
            "accounts": self.accounts,
            "seed": self.seed,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "out": str(self.out),
            "truth": str(self.truth),
            "batches": self.batches,
            "events_per_account_day": self.events_per_account_day,
            "dirt_scale": self.dirt_scale,
            "dirt_overrides": dict(sorted(self.dirt.items())),
            "dirt_rates_effective": self.dirt_rates(),
            "identity_null_multiplier": IDENTITY_NULL_MULTIPLIER,
            "chunk_accounts": self.chunk_accounts,
            "contract_version": CONTRACT_VERSION,
        }
