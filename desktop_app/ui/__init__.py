"""PySide6 user interface: main window, models, widgets, dialogs, workers."""
