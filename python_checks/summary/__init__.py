"""`python -m python_checks.summary`: what `make demo` prints about a build."""
