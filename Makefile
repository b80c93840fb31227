# Akash Desk — the two commands are `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM_TEST := offscreen

.PHONY: run test bench proto lint screenshots package clean localnet

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PY) not found); set PY=/path/to/python3.11"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Launch the app on the embedded local network with the funded demo wallet.
run: $(STAMP)
	$(BIN)/python -m ui.app --network local --demo

# Every test, headless.
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

# Benchmarks print their figures; they are not pass/fail.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# Regenerate app/proto/gen from the .proto sources (the result is committed).
proto: $(STAMP)
	$(BIN)/python -m app.proto.build

lint: $(STAMP)
	$(BIN)/ruff check app ui tests bench

localnet: $(STAMP)
	$(BIN)/python -m app.localnet

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots resources/screenshots

# One-folder build in dist/akash-desk (+ share/ with the .desktop file, metainfo and icon), then a smoke test:
# the built executable opens its window offscreen, builds every tab and quits (a fresh data folder under build/).
package: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6,<7'
	$(BIN)/pyinstaller --noconfirm --clean packaging/akash-desk.spec
	rm -rf build/smoke-home
	QT_QPA_PLATFORM=offscreen dist/akash-desk/akash-desk --smoke-test --data build/smoke-home

clean:
	rm -rf $(VENV) build dist .pytest_cache
