"""Contract review report: each SLA in plain words, as Markdown or HTML."""
