-- Measurement-based care: treatment courses and sessions (extended by later modules), scored instrument
-- responses, single-use patient links, safety alerts and the per-course outcome summary.

CREATE TABLE "treatment_courses" (
    "id" TEXT NOT NULL CONSTRAINT "pk_treatment_courses" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "protocol_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "ended_at" INTEGER NULL,
    CONSTRAINT "fk_treatment_courses_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_treatment_courses_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_treatment_courses_patient_id" ON "treatment_courses" ("patient_id");
CREATE INDEX "ix_treatment_courses_location_id" ON "treatment_courses" ("location_id");

CREATE TABLE "treatment_sessions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_treatment_sessions" PRIMARY KEY,
    "course_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "chair_id" TEXT NULL,
    "sequence_number" INTEGER NOT NULL,
    "scheduled_start" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "checked_in_at" INTEGER NULL,
    "completed_at" INTEGER NULL,
    CONSTRAINT "fk_treatment_sessions_treatment_courses_course_id" FOREIGN KEY ("course_id") REFERENCES "treatment_courses" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_treatment_sessions_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_treatment_sessions_course_id" ON "treatment_sessions" ("course_id");
CREATE INDEX "ix_treatment_sessions_patient_id_scheduled_start" ON "treatment_sessions" ("patient_id", "scheduled_start");
CREATE INDEX "ix_treatment_sessions_location_id_scheduled_start" ON "treatment_sessions" ("location_id", "scheduled_start");

CREATE TABLE "instrument_responses" (
    "id" TEXT NOT NULL CONSTRAINT "pk_instrument_responses" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "session_id" TEXT NULL,
    "instrument_id" TEXT NOT NULL,
    "instrument_version" TEXT NOT NULL,
    "answers" TEXT NOT NULL,
    "total" INTEGER NULL,
    "severity_code" TEXT NULL,
    "severity_display" TEXT NULL,
    "flags" TEXT NOT NULL,
    "triage_level" TEXT NULL,
    "loinc_panel" TEXT NULL,
    "loinc_total" TEXT NULL,
    "taken_at" INTEGER NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_by_name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "link_id" TEXT NULL,
    CONSTRAINT "fk_instrument_responses_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_instrument_responses_patient_id_instrument_id_taken_at" ON "instrument_responses" ("patient_id", "instrument_id", "taken_at");

CREATE TABLE "patient_links" (
    "id" TEXT NOT NULL CONSTRAINT "pk_patient_links" PRIMARY KEY,
    "token_hash" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "instrument_id" TEXT NOT NULL,
    "session_id" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "expires_at" INTEGER NOT NULL,
    "used_at" INTEGER NULL,
    "response_id" TEXT NULL,
    "revoked_at" INTEGER NULL,
    "sent_via" TEXT NOT NULL,
    "sent_to" TEXT NULL,
    CONSTRAINT "fk_patient_links_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_patient_links_token_hash" ON "patient_links" ("token_hash");
CREATE INDEX "ix_patient_links_patient_id_created_at" ON "patient_links" ("patient_id", "created_at");

CREATE TABLE "safety_alerts" (
    "id" TEXT NOT NULL CONSTRAINT "pk_safety_alerts" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "response_id" TEXT NULL,
    "raised_at" INTEGER NOT NULL,
    "acknowledged_at" INTEGER NULL,
    "acknowledged_by" TEXT NULL,
    "acknowledged_by_name" TEXT NULL,
    "action_taken" TEXT NULL,
    "note" TEXT NULL,
    CONSTRAINT "fk_safety_alerts_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_safety_alerts_patient_id_raised_at" ON "safety_alerts" ("patient_id", "raised_at");
CREATE INDEX "ix_safety_alerts_acknowledged_at" ON "safety_alerts" ("acknowledged_at");

CREATE TABLE "course_outcomes" (
    "course_id" TEXT NOT NULL,
    "instrument_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "location_id" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "protocol_code" TEXT NOT NULL,
    "diagnosis_code" TEXT NULL,
    "course_started_at" INTEGER NULL,
    "status" TEXT NOT NULL,
    "baseline_total" INTEGER NULL,
    "latest_total" INTEGER NULL,
    "change_percent" TEXT NULL,
    "first_response_at" INTEGER NULL,
    "first_remission_at" INTEGER NULL,
    "relapse_at" INTEGER NULL,
    "sessions_to_response" INTEGER NULL,
    "days_to_relapse" INTEGER NULL,
    "assessments" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL,
    CONSTRAINT "pk_course_outcomes" PRIMARY KEY ("course_id", "instrument_id"),
    CONSTRAINT "fk_course_outcomes_treatment_courses_course_id" FOREIGN KEY ("course_id") REFERENCES "treatment_courses" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_course_outcomes_instrument_id_course_started_at" ON "course_outcomes" ("instrument_id", "course_started_at");
