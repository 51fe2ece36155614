-- Bedside monitoring: monitors mapped to chairs, vital signs (from monitors or entered by hand) and the log of
-- every HL7 v2 message received (sender + control id unique, so a resent message is stored once).

CREATE TABLE "monitor_devices" (
    "id" TEXT NOT NULL CONSTRAINT "pk_monitor_devices" PRIMARY KEY,
    "device_key" TEXT NOT NULL,
    "chair_id" TEXT NOT NULL,
    "description" TEXT NULL,
    "is_active" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    CONSTRAINT "fk_monitor_devices_chairs_chair_id" FOREIGN KEY ("chair_id") REFERENCES "chairs" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "ix_monitor_devices_device_key" ON "monitor_devices" ("device_key");
CREATE INDEX "ix_monitor_devices_chair_id" ON "monitor_devices" ("chair_id");

CREATE TABLE "vital_signs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_vital_signs" PRIMARY KEY,
    "patient_id" TEXT NOT NULL,
    "session_id" TEXT NULL,
    "chair_id" TEXT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "observed_at" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "device_key" TEXT NULL,
    "inbound_message_id" TEXT NULL,
    "result_status" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL,
    "recorded_by" TEXT NOT NULL,
    CONSTRAINT "fk_vital_signs_patients_patient_id" FOREIGN KEY ("patient_id") REFERENCES "patients" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_vital_signs_session_id_observed_at" ON "vital_signs" ("session_id", "observed_at");
CREATE INDEX "ix_vital_signs_patient_id_observed_at" ON "vital_signs" ("patient_id", "observed_at");

CREATE TABLE "hl7_inbound_messages" (
    "id" TEXT NOT NULL CONSTRAINT "pk_hl7_inbound_messages" PRIMARY KEY,
    "sending_application" TEXT NOT NULL,
    "sending_facility" TEXT NOT NULL,
    "control_id" TEXT NOT NULL,
    "message_type" TEXT NOT NULL,
    "received_at" INTEGER NOT NULL,
    "remote_address" TEXT NULL,
    "device_key" TEXT NULL,
    "ack_code" TEXT NOT NULL,
    "error" TEXT NULL,
    "observations_stored" INTEGER NOT NULL,
    "observations_rejected" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "ix_hl7_inbound_messages_sending_application_sending_facility_control_id" ON "hl7_inbound_messages" ("sending_application", "sending_facility", "control_id");
CREATE INDEX "ix_hl7_inbound_messages_received_at" ON "hl7_inbound_messages" ("received_at");
