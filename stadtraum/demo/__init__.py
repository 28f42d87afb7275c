"""The demo city "Beispielstadt": its synthetic boundaries and street directory, deterministic
synthetic responses, and loading both waves into an empty database.

May use every capability below the CLI (it loads data the way an admin and helpers would).
"""
