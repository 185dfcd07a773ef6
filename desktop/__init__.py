"""Registry Desk: drafts, uploads and submissions for M-RETS and MISO, offline first."""

__version__ = "0.1.0"
