"""IMAP session, folder sync engine and IDLE watcher."""
