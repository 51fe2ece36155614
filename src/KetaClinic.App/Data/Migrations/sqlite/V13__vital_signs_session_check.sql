-- A vital sign belongs to a session, and to that session's patient (as on PostgreSQL, where the same rule replaces the
-- per-row foreign key to patients). Here the foreign key to patients stays (SQLite drops one only by rebuilding the
-- table) and the rule is added beside it, from both ends:
--   * every inserted or updated vital sign names a session that exists and belongs to the vital sign's patient;
--   * a session with vital signs cannot be deleted, and neither its id nor its patient can change.
CREATE TRIGGER "vital_signs_session_on_insert" BEFORE INSERT ON "vital_signs"
WHEN NEW."session_id" IS NULL
  OR NOT EXISTS (SELECT 1 FROM "treatment_sessions" s WHERE s."id" = NEW."session_id" AND s."patient_id" = NEW."patient_id")
BEGIN
    SELECT RAISE(ABORT, 'vital_signs_session_of_patient: a vital sign must name a session of its patient');
END;

CREATE TRIGGER "vital_signs_session_on_update" BEFORE UPDATE OF "session_id", "patient_id" ON "vital_signs"
WHEN NEW."session_id" IS NULL
  OR NOT EXISTS (SELECT 1 FROM "treatment_sessions" s WHERE s."id" = NEW."session_id" AND s."patient_id" = NEW."patient_id")
BEGIN
    SELECT RAISE(ABORT, 'vital_signs_session_of_patient: a vital sign must name a session of its patient');
END;

CREATE TRIGGER "treatment_sessions_vital_signs_on_delete" BEFORE DELETE ON "treatment_sessions"
WHEN EXISTS (SELECT 1 FROM "vital_signs" v WHERE v."session_id" = OLD."id")
BEGIN
    SELECT RAISE(ABORT, 'vital_signs_session_of_patient: a session with vital signs cannot be deleted');
END;

CREATE TRIGGER "treatment_sessions_vital_signs_on_update" BEFORE UPDATE OF "id", "patient_id" ON "treatment_sessions"
WHEN (OLD."id" IS NOT NEW."id" OR OLD."patient_id" IS NOT NEW."patient_id")
  AND EXISTS (SELECT 1 FROM "vital_signs" v WHERE v."session_id" = OLD."id")
BEGIN
    SELECT RAISE(ABORT, 'vital_signs_session_of_patient: the id and patient of a session with vital signs cannot change');
END;
