"""The demo city: a Dongcheng-like district to seed, simulate and show."""
