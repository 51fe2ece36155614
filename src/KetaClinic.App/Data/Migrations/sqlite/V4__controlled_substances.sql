-- Controlled-substance ledger (ketamine, esketamine; DEA Schedule III): DEA registrations, storage places and
-- products (reference data, never edited once written), the hash-chained append-only ledger with its chain head,
-- and acknowledgements of ledger alerts. Quantities are whole micrograms and microlitres (INTEGER), never floats.

CREATE TABLE "dea_registrations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_dea_registrations" PRIMARY KEY,
    "location_id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "registrant_name" TEXT NOT NULL,
    "registrant_user_id" TEXT NULL,
    "schedules" TEXT NOT NULL,
    "valid_from" TEXT NOT NULL,
    "expires_on" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    CONSTRAINT "fk_dea_registrations_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_dea_registrations_location_id" ON "dea_registrations" ("location_id");

CREATE TABLE "storage_locations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_storage_locations" PRIMARY KEY,
    "location_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    CONSTRAINT "fk_storage_locations_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_storage_locations_location_id_name" ON "storage_locations" ("location_id", "name");

CREATE TABLE "controlled_products" (
    "id" TEXT NOT NULL CONSTRAINT "pk_controlled_products" PRIMARY KEY,
    "drug" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "ndc" TEXT NOT NULL,
    "dea_drug_code" TEXT NOT NULL,
    "concentration_mcg_per_ml" INTEGER NULL,
    "volume_per_container_ul" INTEGER NULL,
    "mass_per_device_mcg" INTEGER NULL,
    "devices_per_container" INTEGER NULL,
    "mass_per_container_mcg" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL
);

CREATE TABLE "ledger_entries" (
    "sequence" INTEGER NOT NULL CONSTRAINT "pk_ledger_entries" PRIMARY KEY,
    "recorded_at" INTEGER NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "previous_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);
CREATE INDEX "ix_ledger_entries_recorded_at" ON "ledger_entries" ("recorded_at");

CREATE TABLE "ledger_chain_heads" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_ledger_chain_heads" PRIMARY KEY,
    "last_sequence" INTEGER NOT NULL,
    "last_hash" TEXT NOT NULL
);

CREATE TABLE "ledger_alert_acknowledgements" (
    "id" TEXT NOT NULL CONSTRAINT "pk_ledger_alert_acknowledgements" PRIMARY KEY,
    "alert_key" TEXT NOT NULL,
    "acknowledged_at" INTEGER NOT NULL,
    "acknowledged_by" TEXT NOT NULL,
    "acknowledged_by_name" TEXT NOT NULL,
    "reason" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_ledger_alert_acknowledgements_alert_key" ON "ledger_alert_acknowledgements" ("alert_key");

-- The ledger and what its entries depend on are append-only: the database refuses any change or removal.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;

CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;

CREATE TRIGGER controlled_products_no_update BEFORE UPDATE ON controlled_products
BEGIN
    SELECT RAISE(ABORT, 'controlled_products is append-only');
END;

CREATE TRIGGER controlled_products_no_delete BEFORE DELETE ON controlled_products
BEGIN
    SELECT RAISE(ABORT, 'controlled_products is append-only');
END;

CREATE TRIGGER dea_registrations_no_update BEFORE UPDATE ON dea_registrations
BEGIN
    SELECT RAISE(ABORT, 'dea_registrations is append-only');
END;

CREATE TRIGGER dea_registrations_no_delete BEFORE DELETE ON dea_registrations
BEGIN
    SELECT RAISE(ABORT, 'dea_registrations is append-only');
END;

CREATE TRIGGER storage_locations_no_update BEFORE UPDATE ON storage_locations
BEGIN
    SELECT RAISE(ABORT, 'storage_locations is append-only');
END;

CREATE TRIGGER storage_locations_no_delete BEFORE DELETE ON storage_locations
BEGIN
    SELECT RAISE(ABORT, 'storage_locations is append-only');
END;

CREATE TRIGGER ledger_alert_acknowledgements_no_update BEFORE UPDATE ON ledger_alert_acknowledgements
BEGIN
    SELECT RAISE(ABORT, 'ledger_alert_acknowledgements is append-only');
END;

CREATE TRIGGER ledger_alert_acknowledgements_no_delete BEFORE DELETE ON ledger_alert_acknowledgements
BEGIN
    SELECT RAISE(ABORT, 'ledger_alert_acknowledgements is append-only');
END;

INSERT INTO ledger_chain_heads (id, last_sequence, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
