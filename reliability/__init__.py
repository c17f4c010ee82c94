"""`make reliability`: the real server under load, a crash and a database outage."""
