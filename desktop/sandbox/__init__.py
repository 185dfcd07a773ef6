"""The local sandbox registry: a separate server process that plays M-RETS on 127.0.0.1.

It imports nothing else from `desktop` (a test reads the imports), so it can be started, tested
and reasoned about on its own. Start it with `registry-desk sandbox`, `python -m
desktop.sandbox`, or `desktop.sandbox.launcher.start_sandbox()`.
"""
