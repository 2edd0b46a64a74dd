"""Sample raw data generator: simulated customers with a hidden health, landed as raw Parquet
that follows shared/raw-contract.md, plus the hidden truth to check the project against."""

from .config import DIRT_CLASSES, ConfigError, GenerateConfig
from .generator import GenerateResult, generate

__all__ = ["DIRT_CLASSES", "ConfigError", "GenerateConfig", "GenerateResult", "generate"]
