"""The hub: keeps the queues.  ``hub.core`` holds the rules (pure Python); the rest are adapters."""
