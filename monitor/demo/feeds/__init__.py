"""Package data only: the demo feed templates, outlets.json and stories.json."""
