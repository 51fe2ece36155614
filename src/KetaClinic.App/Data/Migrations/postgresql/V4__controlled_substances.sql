-- Controlled-substance ledger (ketamine, esketamine; DEA Schedule III): DEA registrations, storage places and
-- products (reference data, never edited once written), the hash-chained append-only ledger with its chain head,
-- and acknowledgements of ledger alerts. Quantities are whole micrograms and microlitres (bigint), never floats.

CREATE TABLE dea_registrations (
    id uuid NOT NULL,
    location_id uuid NOT NULL,
    number character varying(9) NOT NULL,
    registrant_name character varying(200) NOT NULL,
    registrant_user_id character varying(450),
    schedules character varying(40) NOT NULL,
    valid_from date NOT NULL,
    expires_on date NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    CONSTRAINT pk_dea_registrations PRIMARY KEY (id),
    CONSTRAINT fk_dea_registrations_locations_location_id FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT
);
CREATE INDEX ix_dea_registrations_location_id ON dea_registrations (location_id);

CREATE TABLE storage_locations (
    id uuid NOT NULL,
    location_id uuid NOT NULL,
    name character varying(100) NOT NULL,
    kind character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    CONSTRAINT pk_storage_locations PRIMARY KEY (id),
    CONSTRAINT fk_storage_locations_locations_location_id FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_storage_locations_location_id_name ON storage_locations (location_id, name);

CREATE TABLE controlled_products (
    id uuid NOT NULL,
    drug character varying(40) NOT NULL,
    form character varying(20) NOT NULL,
    ndc character varying(13) NOT NULL,
    dea_drug_code character varying(4) NOT NULL,
    concentration_mcg_per_ml bigint,
    volume_per_container_ul bigint,
    mass_per_device_mcg bigint,
    devices_per_container integer,
    mass_per_container_mcg bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    CONSTRAINT pk_controlled_products PRIMARY KEY (id)
);

CREATE TABLE ledger_entries (
    sequence bigint NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by character varying(450) NOT NULL,
    kind character varying(40) NOT NULL,
    payload text NOT NULL,
    previous_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL,
    CONSTRAINT pk_ledger_entries PRIMARY KEY (sequence)
);
CREATE INDEX ix_ledger_entries_recorded_at ON ledger_entries (recorded_at);

CREATE TABLE ledger_chain_heads (
    id integer NOT NULL,
    last_sequence bigint NOT NULL,
    last_hash character varying(64) NOT NULL,
    CONSTRAINT pk_ledger_chain_heads PRIMARY KEY (id)
);

CREATE TABLE ledger_alert_acknowledgements (
    id uuid NOT NULL,
    alert_key character varying(120) NOT NULL,
    acknowledged_at timestamp with time zone NOT NULL,
    acknowledged_by character varying(450) NOT NULL,
    acknowledged_by_name character varying(256) NOT NULL,
    reason character varying(1000) NOT NULL,
    CONSTRAINT pk_ledger_alert_acknowledgements PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_ledger_alert_acknowledgements_alert_key ON ledger_alert_acknowledgements (alert_key);

-- The ledger and what its entries depend on are append-only: the database refuses any change or removal.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER controlled_products_no_update BEFORE UPDATE OR DELETE ON controlled_products
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER controlled_products_no_truncate BEFORE TRUNCATE ON controlled_products
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER dea_registrations_no_update BEFORE UPDATE OR DELETE ON dea_registrations
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER dea_registrations_no_truncate BEFORE TRUNCATE ON dea_registrations
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER storage_locations_no_update BEFORE UPDATE OR DELETE ON storage_locations
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER storage_locations_no_truncate BEFORE TRUNCATE ON storage_locations
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER ledger_alert_acknowledgements_no_update BEFORE UPDATE OR DELETE ON ledger_alert_acknowledgements
FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_alert_acknowledgements_no_truncate BEFORE TRUNCATE ON ledger_alert_acknowledgements
FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

INSERT INTO ledger_chain_heads (id, last_sequence, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
