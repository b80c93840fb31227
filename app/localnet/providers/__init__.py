"""Simulated Akash providers of the local node: registry specs, bid engines and real HTTPS gateways."""
