"""Shopdesk: a desktop help desk for people who run an online shop alone."""

__version__ = "0.1.0"
