"""RFC threading, order references, platform notices and grouping mail into cases."""
