"""Account settings and credentials kept in the OS keyring."""
