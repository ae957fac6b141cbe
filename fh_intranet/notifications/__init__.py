"""Being informed: notifications in the app, the mail outbox and its worker, preferences, digests."""
