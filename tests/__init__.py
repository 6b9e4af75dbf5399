"""The test suite: `make test`."""
