"""The counter-side printer agent: a separate process that pulls print jobs from the spacrm server
over HTTP (with its printer's token) and prints them with python-escpos.

It imports nothing from the rest of spacrm (import-linter enforces it), so it can run on the
cashier's PC with only httpx, Pillow and python-escpos installed."""
