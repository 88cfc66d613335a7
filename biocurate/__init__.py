"""biocurate."""
