"""The common API tests (API-xxx), run once for every claimed operation's resources and commands."""
