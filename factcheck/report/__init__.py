"""Findings -> text for people or machines. One module per format; each exposes render()."""
