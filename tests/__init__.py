"""Shopdesk tests."""
