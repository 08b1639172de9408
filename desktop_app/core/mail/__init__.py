"""Raw bytes to parsed messages: cheap parse for lists, full parse for display."""
