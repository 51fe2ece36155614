-- What the monitor intake reads for each batch besides the resend check (the registered monitors, the sessions in
-- progress at their chairs with their patients' MRNs, and the sessions' recorded steps) changes a few times a session,
-- while the monitors send every few seconds. The database counts every such change here, whoever makes it, so the
-- intake keeps what it read and reads it again only when the count has moved. The intake's own steps (vital signs
-- from a monitor, recorded under an "hl7:" actor) do not count: the intake adds them to what it keeps itself.
CREATE TABLE chair_state_versions (
    id integer NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT pk_chair_state_versions PRIMARY KEY (id)
);
INSERT INTO chair_state_versions (id, version) VALUES (1, 0);

CREATE FUNCTION chair_state_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chair_state_versions SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER monitor_devices_chair_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON monitor_devices
FOR EACH STATEMENT EXECUTE FUNCTION chair_state_changed();

CREATE TRIGGER treatment_sessions_chair_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON treatment_sessions
FOR EACH STATEMENT EXECUTE FUNCTION chair_state_changed();

CREATE TRIGGER patients_chair_state AFTER UPDATE OF id, mrn OR DELETE OR TRUNCATE ON patients
FOR EACH STATEMENT EXECUTE FUNCTION chair_state_changed();

CREATE TRIGGER session_events_chair_state_on_insert AFTER INSERT ON session_events
FOR EACH ROW WHEN (NOT (NEW.kind = 'vitals' AND NEW.actor_id LIKE 'hl7:%'))
EXECUTE FUNCTION chair_state_changed();

CREATE TRIGGER session_events_chair_state AFTER UPDATE OR DELETE OR TRUNCATE ON session_events
FOR EACH STATEMENT EXECUTE FUNCTION chair_state_changed();
