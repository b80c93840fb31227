"""Qt table models over the core's data (one QAbstractTableModel per entity: bids, deployments, logs, ...)."""
