"""`make bench`: Pulih's figures at national size, against their floors and a peer."""
