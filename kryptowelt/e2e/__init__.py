"""End-to-end tests of the production stack (no models; tests only, in tests/)."""
