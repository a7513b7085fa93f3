-- Leases for the work only one control plane may do at a time on a shared store (same H2/PostgreSQL
-- rules as V1): the quota allocator, whose grants and learned rates would otherwise be written by
-- every replica in turn, each from its own view. SQL contract: dev.quarry.controlplane.store.StoreLease
-- holds every statement on this table. The progress role gets no grant on it.
CREATE TABLE control_plane_leases (
    name       VARCHAR(64)  NOT NULL,
    -- Which control plane holds it: host and a random id per process.
    holder     VARCHAR(128) NOT NULL,
    -- Epoch milliseconds, on the holder's clock, after which another may take it.
    expires_at BIGINT       NOT NULL,
    CONSTRAINT control_plane_leases_pk PRIMARY KEY (name)
);
