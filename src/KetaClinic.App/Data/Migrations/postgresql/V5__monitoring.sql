-- Bedside monitoring: monitors mapped to chairs, vital signs (from monitors or entered by hand) and the log of
-- every HL7 v2 message received (sender + control id unique, so a resent message is stored once).

CREATE TABLE monitor_devices (
    id uuid NOT NULL,
    device_key character varying(300) NOT NULL,
    chair_id uuid NOT NULL,
    description character varying(200),
    is_active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_monitor_devices PRIMARY KEY (id),
    CONSTRAINT fk_monitor_devices_chairs_chair_id FOREIGN KEY (chair_id) REFERENCES chairs (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_monitor_devices_device_key ON monitor_devices (device_key);
CREATE INDEX ix_monitor_devices_chair_id ON monitor_devices (chair_id);

CREATE TABLE vital_signs (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    session_id uuid,
    chair_id uuid,
    kind character varying(40) NOT NULL,
    value numeric(7,2) NOT NULL,
    unit character varying(20) NOT NULL,
    observed_at timestamp with time zone NOT NULL,
    source character varying(20) NOT NULL,
    device_key character varying(300),
    inbound_message_id uuid,
    result_status character varying(2) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by character varying(450) NOT NULL,
    CONSTRAINT pk_vital_signs PRIMARY KEY (id),
    CONSTRAINT fk_vital_signs_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_vital_signs_session_id_observed_at ON vital_signs (session_id, observed_at);
CREATE INDEX ix_vital_signs_patient_id_observed_at ON vital_signs (patient_id, observed_at);

CREATE TABLE hl7_inbound_messages (
    id uuid NOT NULL,
    sending_application character varying(227) NOT NULL,
    sending_facility character varying(227) NOT NULL,
    control_id character varying(199) NOT NULL,
    message_type character varying(20) NOT NULL,
    received_at timestamp with time zone NOT NULL,
    remote_address character varying(64),
    device_key character varying(300),
    ack_code character varying(2) NOT NULL,
    error character varying(500),
    observations_stored integer NOT NULL,
    observations_rejected integer NOT NULL,
    CONSTRAINT pk_hl7_inbound_messages PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_hl7_inbound_messages_sending_application_sending_facility_control_id ON hl7_inbound_messages (sending_application, sending_facility, control_id);
CREATE INDEX ix_hl7_inbound_messages_received_at ON hl7_inbound_messages (received_at);
