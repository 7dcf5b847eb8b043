"""Partners and their offering (filled in by the partners app's builder)."""
