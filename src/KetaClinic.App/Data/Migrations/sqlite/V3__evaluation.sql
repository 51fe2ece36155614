-- From inquiry to informed consent: consultation requests (leads), booked consultations, pre-screening answers,
-- comprehensive evaluations with sign-off and addenda, and informed consents per route.

ALTER TABLE "patient_links" ADD COLUMN "purpose" TEXT NOT NULL DEFAULT 'instrument';

CREATE TABLE "consultation_leads" (
    "id" TEXT NOT NULL CONSTRAINT "pk_consultation_leads" PRIMARY KEY,
    "received_at" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "phone" TEXT NULL,
    "email" TEXT NULL,
    "preferred_contact_times" TEXT NULL,
    "tried_so_far" TEXT NULL,
    "heard_about" TEXT NULL,
    "status" TEXT NOT NULL,
    "decline_reason" TEXT NULL,
    "note" TEXT NULL,
    "status_changed_at" INTEGER NULL,
    "status_changed_by_name" TEXT NULL,
    "entered_by" TEXT NULL,
    "entered_by_name" TEXT NULL,
    "patient_id" TEXT NULL,
    "consultation_id" TEXT NULL
);
CREATE INDEX "ix_consultation_leads_status_received_at" ON "consultation_leads" ("status", "received_at");

CREATE TABLE "consultation_appointments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_consultation_appointments" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "lead_id" TEXT NULL,
    "starts_at" INTEGER NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "physician_id" TEXT NOT NULL,
    "physician_name" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    CONSTRAINT "fk_consultation_appointments_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_consultation_appointments_patient_id_starts_at" ON "consultation_appointments" ("patient_id", "starts_at");
CREATE INDEX "ix_consultation_appointments_physician_id_starts_at" ON "consultation_appointments" ("physician_id", "starts_at");

CREATE TABLE "pre_screening_submissions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_pre_screening_submissions" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "link_id" TEXT NOT NULL,
    "submitted_at" INTEGER NOT NULL,
    "answers" TEXT NOT NULL,
    "phq9_response_id" TEXT NULL,
    "gad7_response_id" TEXT NULL,
    "cssrs_response_id" TEXT NULL,
    CONSTRAINT "fk_pre_screening_submissions_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_pre_screening_submissions_patient_id_submitted_at" ON "pre_screening_submissions" ("patient_id", "submitted_at");

CREATE TABLE "clinical_evaluations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_clinical_evaluations" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "evaluated_on" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "pre_screening_id" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "support_decision" TEXT NULL,
    "final_decision" TEXT NULL,
    "sign_off_outcome" TEXT NULL,
    "sign_off_reason" TEXT NULL,
    "signed_at" INTEGER NULL,
    "signed_by" TEXT NULL,
    "signed_by_name" TEXT NULL,
    "expires_on" TEXT NULL,
    "signed_assessment" TEXT NULL,
    CONSTRAINT "fk_clinical_evaluations_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_clinical_evaluations_patient_id_created_at" ON "clinical_evaluations" ("patient_id", "created_at");

CREATE TABLE "evaluation_addenda" (
    "id" TEXT NOT NULL CONSTRAINT "pk_evaluation_addenda" PRIMARY KEY,
    "evaluation_id" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "fk_evaluation_addenda_clinical_evaluations_evaluation_id" FOREIGN KEY ("evaluation_id") REFERENCES "clinical_evaluations" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_evaluation_addenda_evaluation_id_created_at" ON "evaluation_addenda" ("evaluation_id", "created_at");

-- Addenda are the record of later changes: never edited, never removed.
CREATE TRIGGER evaluation_addenda_no_update BEFORE UPDATE ON evaluation_addenda
BEGIN
    SELECT RAISE(ABORT, 'evaluation_addenda is append-only');
END;

CREATE TRIGGER evaluation_addenda_no_delete BEFORE DELETE ON evaluation_addenda
BEGIN
    SELECT RAISE(ABORT, 'evaluation_addenda is append-only');
END;

CREATE TABLE "consents" (
    "id" TEXT NOT NULL CONSTRAINT "pk_consents" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "document_version" TEXT NOT NULL,
    "document_title" TEXT NOT NULL,
    "document_date" TEXT NOT NULL,
    "document_hash" TEXT NOT NULL,
    "document_text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "patient_typed_name" TEXT NOT NULL,
    "patient_signature" TEXT NOT NULL,
    "patient_signed_at" INTEGER NOT NULL,
    "presented_by" TEXT NOT NULL,
    "presented_by_name" TEXT NOT NULL,
    "countersigned_at" INTEGER NULL,
    "countersigned_by" TEXT NULL,
    "countersigned_by_name" TEXT NULL,
    "rems_enrolment_id" TEXT NULL,
    "rems_enrolled_on" TEXT NULL,
    "withdrawn_at" INTEGER NULL,
    "withdrawn_by_name" TEXT NULL,
    "withdrawal_reason" TEXT NULL,
    CONSTRAINT "fk_consents_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_consents_patient_id_route" ON "consents" ("patient_id", "route");
