"""History: who changed what, read from the audit events (object pages and the coordinator's log)."""
