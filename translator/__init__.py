"""translate-news: offline batch translation and localisation for newsrooms."""

__version__ = "0.1.0"
