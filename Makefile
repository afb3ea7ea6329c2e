.PHONY: check test fmt
check:
	ruff format --check kg tests benchmarks
	ruff check kg tests benchmarks
	mypy
test:
	python -m pytest -q
fmt:
	ruff format kg tests benchmarks
	ruff check --fix kg tests benchmarks
