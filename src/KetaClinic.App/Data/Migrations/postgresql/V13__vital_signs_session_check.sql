-- A vital sign belongs to a session, and to that session's patient. The per-row foreign key to patients checked
-- only half of that, and cost more than a fifth of the database's time on the monitor intake (a lookup and a row
-- lock through the trigger machinery for each of a message's five values). It is replaced by one set-based check
-- per statement that checks both halves, and by a guard on the sessions' side, so the rule holds from both ends:
--   * every inserted or updated vital sign names a session that exists and belongs to the vital sign's patient
--     (the sessions named are locked for the rest of the transaction, as a foreign key locks its parent rows);
--   * a session with vital signs cannot be deleted, and neither its id nor its patient can change.
-- A patient with sessions cannot be deleted (treatment_sessions' foreign key), so no vital sign is left without one.
ALTER TABLE vital_signs DROP CONSTRAINT fk_vital_signs_patients_patient_id;

CREATE FUNCTION vital_signs_check_session() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    orphan record;
BEGIN
    -- Each session named is read and locked once, then every row is matched against them (no session: no match).
    WITH named AS MATERIALIZED (
        SELECT s.id, s.patient_id FROM treatment_sessions s
        WHERE s.id IN (SELECT n.session_id FROM vital_signs_new n)
        FOR KEY SHARE OF s
    )
    SELECT n.id, n.session_id, n.patient_id INTO orphan
    FROM vital_signs_new n
    WHERE NOT EXISTS (SELECT 1 FROM named s WHERE s.id = n.session_id AND s.patient_id = n.patient_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'vital sign % names session % and patient %, but no such session of that patient exists',
            orphan.id, coalesce(orphan.session_id::text, '(none)'), orphan.patient_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'vital_signs', CONSTRAINT = 'vital_signs_session_of_patient';
    END IF;
    RETURN NULL;
END;
$$;

-- A trigger with a transition table takes one kind of event, so inserts and updates have one each.
CREATE TRIGGER vital_signs_session_on_insert AFTER INSERT ON vital_signs
REFERENCING NEW TABLE AS vital_signs_new
FOR EACH STATEMENT EXECUTE FUNCTION vital_signs_check_session();

CREATE TRIGGER vital_signs_session_on_update AFTER UPDATE ON vital_signs
REFERENCING NEW TABLE AS vital_signs_new
FOR EACH STATEMENT EXECUTE FUNCTION vital_signs_check_session();

CREATE FUNCTION treatment_sessions_keep_vital_signs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'DELETE' OR OLD.id IS DISTINCT FROM NEW.id OR OLD.patient_id IS DISTINCT FROM NEW.patient_id)
       AND EXISTS (SELECT 1 FROM vital_signs v WHERE v.session_id = OLD.id) THEN
        RAISE EXCEPTION 'session % has vital signs: it cannot be deleted, and its id and patient cannot change', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'treatment_sessions', CONSTRAINT = 'vital_signs_session_of_patient';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER treatment_sessions_vital_signs BEFORE DELETE OR UPDATE OF id, patient_id ON treatment_sessions
FOR EACH ROW EXECUTE FUNCTION treatment_sessions_keep_vital_signs();
