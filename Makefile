# The two commands: `make run` (set up, demo data, serve) and `make test` (set up, every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean sysdeps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/spacrm init --demo
	@echo ""
	@echo "  Staff bot in a terminal (another shell):  .venv/bin/spacrm chat --user st_q1a1"
	@echo "  Front desk of Quận 1:                      .venv/bin/spacrm chat --user lt_q1"
	@echo "  Customer chatbot, one question:            .venv/bin/spacrm ask \"triệt nách bao nhiêu tiền\""
	@echo "  Website chat widget demo:                  http://127.0.0.1:8000/widget/demo"
	@echo "  (or put .venv/bin on PATH: export PATH=\$$PWD/.venv/bin:\$$PATH)"
	@echo ""
	$(BIN)/spacrm serve

lint: $(STAMP)
	$(BIN)/ruff check spacrm tests bench
	$(BIN)/ruff format --check spacrm tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The console's browser test drives Debian's headless Chromium; install it when missing and
# apt-get is available (as root, or with sudo). Without it that one test is skipped, not failed.
sysdeps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get install -y -qq chromium chromium-driver \
				|| { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; } \
				|| echo "could not install chromium; the console browser test will be skipped"; \
		else echo "no apt-get: install chromium + chromedriver for the console browser test"; fi; \
	fi

test: lint sysdeps
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_kb.py
	$(BIN)/python bench/bench_pay.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_webhooks.py
	$(BIN)/python bench/bench_bookings.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
