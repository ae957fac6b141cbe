"""Offerings (Angebote) of the network's organisations, kept current by their own people in
collection windows (Aktualisierungsrunden), and the directory exported for the town's portal."""
