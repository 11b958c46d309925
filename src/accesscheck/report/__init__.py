"""Reports built from a run read back from the store: JSON (the contract), the terminal summary."""
