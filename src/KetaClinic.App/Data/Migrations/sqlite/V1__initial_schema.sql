-- V1: accounts and roles (ASP.NET Core Identity), patient registry, clinic locations and chairs, audit log.
-- Clinic data is never dropped by a migration; later versions only add or widen.

CREATE TABLE "asp_net_roles" (
    "id" TEXT NOT NULL CONSTRAINT "pk_asp_net_roles" PRIMARY KEY,
    "name" TEXT NULL,
    "normalized_name" TEXT NULL,
    "concurrency_stamp" TEXT NULL
);


CREATE TABLE "asp_net_users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_asp_net_users" PRIMARY KEY,
    "display_name" TEXT NOT NULL,
    "is_active" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "user_name" TEXT NULL,
    "normalized_user_name" TEXT NULL,
    "email" TEXT NULL,
    "normalized_email" TEXT NULL,
    "email_confirmed" INTEGER NOT NULL,
    "password_hash" TEXT NULL,
    "security_stamp" TEXT NULL,
    "concurrency_stamp" TEXT NULL,
    "phone_number" TEXT NULL,
    "phone_number_confirmed" INTEGER NOT NULL,
    "two_factor_enabled" INTEGER NOT NULL,
    "lockout_end" INTEGER NULL,
    "lockout_enabled" INTEGER NOT NULL,
    "access_failed_count" INTEGER NOT NULL
);


CREATE TABLE "audit_chain_heads" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_audit_chain_heads" PRIMARY KEY,
    "last_sequence" INTEGER NOT NULL,
    "last_hash" TEXT NOT NULL
);


CREATE TABLE "audit_entries" (
    "sequence" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY,
    "occurred_at" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "roles" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "record_type" TEXT NOT NULL,
    "record_id" TEXT NULL,
    "patient_id" TEXT NULL,
    "remote_address" TEXT NULL,
    "details" TEXT NULL,
    "previous_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);


CREATE TABLE "locations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_locations" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "address_line1" TEXT NULL,
    "city" TEXT NULL,
    "region" TEXT NULL,
    "postal_code" TEXT NULL,
    "phone" TEXT NULL,
    "time_zone" TEXT NOT NULL
);


CREATE TABLE "patients" (
    "id" TEXT NOT NULL CONSTRAINT "pk_patients" PRIMARY KEY,
    "mrn" TEXT NOT NULL,
    "legal_given_name" TEXT NOT NULL,
    "legal_family_name" TEXT NOT NULL,
    "preferred_name" TEXT NULL,
    "date_of_birth" TEXT NOT NULL,
    "sex" TEXT NOT NULL,
    "email" TEXT NULL,
    "phone" TEXT NULL,
    "address_line1" TEXT NULL,
    "address_line2" TEXT NULL,
    "city" TEXT NULL,
    "region" TEXT NULL,
    "postal_code" TEXT NULL,
    "emergency_contact_name" TEXT NULL,
    "emergency_contact_relationship" TEXT NULL,
    "emergency_contact_phone" TEXT NULL,
    "companion_name" TEXT NULL,
    "companion_phone" TEXT NULL,
    "referring_clinician_name" TEXT NULL,
    "referring_clinician_phone" TEXT NULL,
    "referring_clinician_email" TEXT NULL,
    "search_name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL
);


CREATE TABLE "asp_net_role_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_asp_net_role_claims" PRIMARY KEY AUTOINCREMENT,
    "role_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_asp_net_role_claims_asp_net_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "asp_net_roles" ("id") ON DELETE CASCADE
);


CREATE TABLE "asp_net_user_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_asp_net_user_claims" PRIMARY KEY AUTOINCREMENT,
    "user_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_asp_net_user_claims_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "asp_net_user_logins" (
    "login_provider" TEXT NOT NULL,
    "provider_key" TEXT NOT NULL,
    "provider_display_name" TEXT NULL,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "pk_asp_net_user_logins" PRIMARY KEY ("login_provider", "provider_key"),
    CONSTRAINT "fk_asp_net_user_logins_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "asp_net_user_roles" (
    "user_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    CONSTRAINT "pk_asp_net_user_roles" PRIMARY KEY ("user_id", "role_id"),
    CONSTRAINT "fk_asp_net_user_roles_asp_net_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "asp_net_roles" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_asp_net_user_roles_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "asp_net_user_tokens" (
    "user_id" TEXT NOT NULL,
    "login_provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NULL,
    CONSTRAINT "pk_asp_net_user_tokens" PRIMARY KEY ("user_id", "login_provider", "name"),
    CONSTRAINT "fk_asp_net_user_tokens_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);


CREATE TABLE "chairs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_chairs" PRIMARY KEY,
    "location_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "has_infusion_pump" INTEGER NOT NULL,
    "has_monitor" INTEGER NOT NULL,
    "is_active" INTEGER NOT NULL,
    CONSTRAINT "fk_chairs_locations_location_id" FOREIGN KEY ("location_id") REFERENCES "locations" ("id") ON DELETE RESTRICT
);


CREATE TABLE "allergies" (
    "id" TEXT NOT NULL CONSTRAINT "pk_allergies" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "substance" TEXT NOT NULL,
    "reaction" TEXT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    CONSTRAINT "fk_allergies_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);


CREATE TABLE "body_measurements" (
    "id" TEXT NOT NULL CONSTRAINT "pk_body_measurements" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "measured_at" INTEGER NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    CONSTRAINT "fk_body_measurements_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);


CREATE TABLE "diagnoses" (
    "id" TEXT NOT NULL CONSTRAINT "pk_diagnoses" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NULL,
    "onset_date" TEXT NULL,
    "status" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    CONSTRAINT "fk_diagnoses_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);


CREATE INDEX "ix_allergies_patient_id" ON "allergies" ("patient_id");


CREATE INDEX "ix_asp_net_role_claims_role_id" ON "asp_net_role_claims" ("role_id");


CREATE UNIQUE INDEX "role_name_index" ON "asp_net_roles" ("normalized_name");


CREATE INDEX "ix_asp_net_user_claims_user_id" ON "asp_net_user_claims" ("user_id");


CREATE INDEX "ix_asp_net_user_logins_user_id" ON "asp_net_user_logins" ("user_id");


CREATE INDEX "ix_asp_net_user_roles_role_id" ON "asp_net_user_roles" ("role_id");


CREATE INDEX "email_index" ON "asp_net_users" ("normalized_email");


CREATE UNIQUE INDEX "user_name_index" ON "asp_net_users" ("normalized_user_name");


CREATE INDEX "ix_audit_entries_occurred_at" ON "audit_entries" ("occurred_at");


CREATE INDEX "ix_audit_entries_patient_id" ON "audit_entries" ("patient_id");


CREATE INDEX "ix_audit_entries_user_id" ON "audit_entries" ("user_id");


CREATE INDEX "ix_body_measurements_patient_id_kind_measured_at" ON "body_measurements" ("patient_id", "kind", "measured_at");


CREATE UNIQUE INDEX "ix_chairs_location_id_name" ON "chairs" ("location_id", "name");


CREATE INDEX "ix_diagnoses_patient_id" ON "diagnoses" ("patient_id");


CREATE INDEX "ix_patients_date_of_birth" ON "patients" ("date_of_birth");


CREATE UNIQUE INDEX "ix_patients_mrn" ON "patients" ("mrn");


CREATE INDEX "ix_patients_search_name" ON "patients" ("search_name");



-- The audit log is append-only: the database refuses any change or removal of an entry.
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit_entries is append-only');
END;

CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
    SELECT RAISE(ABORT, 'audit_entries is append-only');
END;

INSERT INTO audit_chain_heads (id, last_sequence, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
