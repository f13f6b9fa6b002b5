"""The team's own demo data: three sample plans (plans/*.txt) and the demo organisations and logins."""
