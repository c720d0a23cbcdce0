"""Built-in rules. Each module registers its checks on import."""
