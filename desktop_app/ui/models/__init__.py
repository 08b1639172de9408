"""Qt item models over the core's Views: ids and a lazy row cache, never a query in `data()`."""
