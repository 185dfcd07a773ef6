"""Command groups of `registry-desk`; each module exposes `register(subparsers)`."""
