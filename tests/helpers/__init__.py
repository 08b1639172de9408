"""Shared test helpers: real servers, certificates, a cutting proxy."""
