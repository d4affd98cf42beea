"""What operators need from the running portal: health and readiness answers, Prometheus
metrics, request ids in the logs, German error mails. See docs/runbook.md, section
"Mail, Health, Fehler, Metriken"."""
