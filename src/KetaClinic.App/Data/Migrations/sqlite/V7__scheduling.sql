-- Treatment plans and scheduling: clinic resources (opening hours, closures, chair closures, nurse shifts,
-- appointment types), treatment plans with versioned dose orders and phase decisions, booking columns on sessions,
-- iCalendar feeds, the reminder outbox and re-plan reports. Times of day are minutes after midnight, clinic time.

CREATE TABLE "opening_hours" (
    "id" TEXT NOT NULL CONSTRAINT "pk_opening_hours" PRIMARY KEY,
    "location_id" TEXT NOT NULL,
    "day_of_week" INTEGER NOT NULL,
    "opens_minute" INTEGER NOT NULL,
    "closes_minute" INTEGER NOT NULL,
    CONSTRAINT "fk_opening_hours_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_opening_hours_location_id_day_of_week" ON "opening_hours" ("location_id", "day_of_week");

CREATE TABLE "clinic_closures" (
    "id" TEXT NOT NULL CONSTRAINT "pk_clinic_closures" PRIMARY KEY,
    "location_id" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "fk_clinic_closures_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_clinic_closures_location_id_day" ON "clinic_closures" ("location_id", "day");

CREATE TABLE "chair_closures" (
    "id" TEXT NOT NULL CONSTRAINT "pk_chair_closures" PRIMARY KEY,
    "chair_id" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "from_minute" INTEGER NOT NULL,
    "to_minute" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    CONSTRAINT "fk_chair_closures_chairs_chair_id" FOREIGN KEY ("chair_id") REFERENCES "chairs" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_chair_closures_chair_id_day" ON "chair_closures" ("chair_id", "day");

CREATE TABLE "nurse_shifts" (
    "id" TEXT NOT NULL CONSTRAINT "pk_nurse_shifts" PRIMARY KEY,
    "location_id" TEXT NOT NULL,
    "nurse_id" TEXT NOT NULL,
    "nurse_name" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "start_minute" INTEGER NOT NULL,
    "end_minute" INTEGER NOT NULL,
    CONSTRAINT "fk_nurse_shifts_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_nurse_shifts_location_id_day" ON "nurse_shifts" ("location_id", "day");

CREATE TABLE "appointment_types" (
    "id" TEXT NOT NULL CONSTRAINT "pk_appointment_types" PRIMARY KEY,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "is_active" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "ix_appointment_types_code" ON "appointment_types" ("code");

CREATE TABLE "treatment_plans" (
    "id" TEXT NOT NULL CONSTRAINT "pk_treatment_plans" PRIMARY KEY,
    "course_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "protocol_id" TEXT NOT NULL,
    "protocol_version" TEXT NOT NULL,
    "phase_id" TEXT NOT NULL,
    "planned_sessions" INTEGER NOT NULL,
    "interval_days" INTEGER NULL,
    "status" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    CONSTRAINT "fk_treatment_plans_treatment_courses_course_id" FOREIGN KEY ("course_id") REFERENCES "treatment_courses" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_treatment_plans_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_treatment_plans_course_id" ON "treatment_plans" ("course_id");
CREATE INDEX "ix_treatment_plans_patient_id" ON "treatment_plans" ("patient_id");

CREATE TABLE "dose_orders" (
    "id" TEXT NOT NULL CONSTRAINT "pk_dose_orders" PRIMARY KEY,
    "plan_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "dose_basis" TEXT NOT NULL,
    "dose_value" TEXT NOT NULL,
    "ordered_at" INTEGER NOT NULL,
    "ordered_by" TEXT NOT NULL,
    "ordered_by_name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "fk_dose_orders_treatment_plans_plan_id" FOREIGN KEY ("plan_id") REFERENCES "treatment_plans" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_dose_orders_plan_id_version" ON "dose_orders" ("plan_id", "version");

-- A dose order version is never edited or removed: a change is a new version.
CREATE TRIGGER dose_orders_no_update BEFORE UPDATE ON dose_orders
BEGIN
    SELECT RAISE(ABORT, 'dose_orders is append-only');
END;

CREATE TRIGGER dose_orders_no_delete BEFORE DELETE ON dose_orders
BEGIN
    SELECT RAISE(ABORT, 'dose_orders is append-only');
END;

CREATE TABLE "plan_decisions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_plan_decisions" PRIMARY KEY,
    "plan_id" TEXT NOT NULL,
    "proposal_kind" TEXT NOT NULL,
    "proposed_phase_id" TEXT NOT NULL,
    "proposed_interval_days" INTEGER NULL,
    "chosen_phase_id" TEXT NOT NULL,
    "chosen_interval_days" INTEGER NULL,
    "edited" INTEGER NOT NULL,
    "reason" TEXT NULL,
    "decided_at" INTEGER NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_by_name" TEXT NOT NULL,
    CONSTRAINT "fk_plan_decisions_treatment_plans_plan_id" FOREIGN KEY ("plan_id") REFERENCES "treatment_plans" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_plan_decisions_plan_id" ON "plan_decisions" ("plan_id");

ALTER TABLE "treatment_sessions" ADD COLUMN "scheduled_end" INTEGER NULL;
ALTER TABLE "treatment_sessions" ADD COLUMN "plan_id" TEXT NULL;
ALTER TABLE "treatment_sessions" ADD COLUMN "phase_id" TEXT NULL;
ALTER TABLE "treatment_sessions" ADD COLUMN "series_id" TEXT NULL;
ALTER TABLE "treatment_sessions" ADD COLUMN "cancelled_at" INTEGER NULL;
ALTER TABLE "treatment_sessions" ADD COLUMN "cancelled_by" TEXT NULL;
ALTER TABLE "treatment_sessions" ADD COLUMN "cancel_reason" TEXT NULL;
CREATE INDEX "ix_treatment_sessions_chair_id_scheduled_start" ON "treatment_sessions" ("chair_id", "scheduled_start");

CREATE TABLE "calendar_feeds" (
    "id" TEXT NOT NULL CONSTRAINT "pk_calendar_feeds" PRIMARY KEY,
    "token_hash" TEXT NOT NULL,
    "owner_kind" TEXT NOT NULL,
    "patient_id" TEXT NULL,
    "user_id" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "revoked_at" INTEGER NULL
);
CREATE UNIQUE INDEX "ix_calendar_feeds_token_hash" ON "calendar_feeds" ("token_hash");

CREATE TABLE "reminder_outbox" (
    "id" TEXT NOT NULL CONSTRAINT "pk_reminder_outbox" PRIMARY KEY,
    "session_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "due_at" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "sent_at" INTEGER NULL,
    CONSTRAINT "fk_reminder_outbox_treatment_sessions_session_id" FOREIGN KEY ("session_id") REFERENCES "treatment_sessions" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_reminder_outbox_status_due_at" ON "reminder_outbox" ("status", "due_at");
CREATE INDEX "ix_reminder_outbox_session_id" ON "reminder_outbox" ("session_id");

CREATE TABLE "replan_reports" (
    "id" TEXT NOT NULL CONSTRAINT "pk_replan_reports" PRIMARY KEY,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "moved_count" INTEGER NOT NULL,
    "not_refitted_count" INTEGER NOT NULL,
    "report" TEXT NOT NULL
);
CREATE INDEX "ix_replan_reports_created_at" ON "replan_reports" ("created_at");

CREATE TABLE "waitlist_entries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_waitlist_entries" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "note" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "offered_at" INTEGER NULL,
    "offered_slot" TEXT NULL,
    CONSTRAINT "fk_waitlist_entries_treatment_plans_plan_id" FOREIGN KEY ("plan_id") REFERENCES "treatment_plans" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_waitlist_entries_status_created_at" ON "waitlist_entries" ("status", "created_at");
