-- What the monitor intake reads for each batch besides the resend check (the registered monitors, the sessions in
-- progress at their chairs with their patients' MRNs, and the sessions' recorded steps) changes a few times a session,
-- while the monitors send every few seconds. The database counts every such change here, whoever makes it, so the
-- intake keeps what it read and reads it again only when the count has moved. The intake's own steps (vital signs
-- from a monitor, recorded under an "hl7:" actor) do not count: the intake adds them to what it keeps itself.
CREATE TABLE "chair_state_versions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_chair_state_versions" PRIMARY KEY,
    "version" INTEGER NOT NULL
);
INSERT INTO "chair_state_versions" ("id", "version") VALUES (1, 0);

CREATE TRIGGER "monitor_devices_chair_state_on_insert" AFTER INSERT ON "monitor_devices"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "monitor_devices_chair_state_on_update" AFTER UPDATE ON "monitor_devices"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "monitor_devices_chair_state_on_delete" AFTER DELETE ON "monitor_devices"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "treatment_sessions_chair_state_on_insert" AFTER INSERT ON "treatment_sessions"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "treatment_sessions_chair_state_on_update" AFTER UPDATE ON "treatment_sessions"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "treatment_sessions_chair_state_on_delete" AFTER DELETE ON "treatment_sessions"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "patients_chair_state_on_update" AFTER UPDATE OF "id", "mrn" ON "patients"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "patients_chair_state_on_delete" AFTER DELETE ON "patients"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "session_events_chair_state_on_insert" AFTER INSERT ON "session_events"
WHEN NOT (NEW."kind" = 'vitals' AND NEW."actor_id" LIKE 'hl7:%')
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "session_events_chair_state_on_update" AFTER UPDATE ON "session_events"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "session_events_chair_state_on_delete" AFTER DELETE ON "session_events"
BEGIN
    UPDATE "chair_state_versions" SET "version" = "version" + 1 WHERE "id" = 1;
END;
