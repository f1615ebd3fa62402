"""`factcheck serve`: the HTTP edge next to the CLI. It calls the same Checker pipeline and
report renderers, so a newsroom tool gets exactly what `--format json` prints, from one warm
process instead of one model load per check."""
