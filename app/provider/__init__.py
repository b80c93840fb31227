"""Provider gateway client (JWT or mTLS): manifest, lease status, logs/events streams; client certificates."""
