"""The seeded synthetic market whose true effects are known (see ``truth``)."""

from fdsa.synth.build import build_warehouse
from fdsa.synth.params import MarketParams, truth_rows

__all__ = ["MarketParams", "build_warehouse", "truth_rows"]
