"""writersroom: an assistant for people who write stories together."""

__version__ = "0.1.0"
