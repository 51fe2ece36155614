-- Measurement-based care: treatment courses and sessions (extended by later modules), scored instrument
-- responses, single-use patient links, safety alerts and the per-course outcome summary.

CREATE TABLE treatment_courses (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    location_id uuid NOT NULL,
    route character varying(30) NOT NULL,
    protocol_code character varying(40) NOT NULL,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    CONSTRAINT pk_treatment_courses PRIMARY KEY (id),
    CONSTRAINT fk_treatment_courses_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT,
    CONSTRAINT fk_treatment_courses_locations_location_id FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT
);
CREATE INDEX ix_treatment_courses_patient_id ON treatment_courses (patient_id);
CREATE INDEX ix_treatment_courses_location_id ON treatment_courses (location_id);

CREATE TABLE treatment_sessions (
    id uuid NOT NULL,
    course_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    location_id uuid NOT NULL,
    chair_id uuid,
    sequence_number integer NOT NULL,
    scheduled_start timestamp with time zone NOT NULL,
    status character varying(20) NOT NULL,
    checked_in_at timestamp with time zone,
    completed_at timestamp with time zone,
    CONSTRAINT pk_treatment_sessions PRIMARY KEY (id),
    CONSTRAINT fk_treatment_sessions_treatment_courses_course_id FOREIGN KEY (course_id) REFERENCES treatment_courses (id) ON DELETE RESTRICT,
    CONSTRAINT fk_treatment_sessions_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_treatment_sessions_course_id ON treatment_sessions (course_id);
CREATE INDEX ix_treatment_sessions_patient_id_scheduled_start ON treatment_sessions (patient_id, scheduled_start);
CREATE INDEX ix_treatment_sessions_location_id_scheduled_start ON treatment_sessions (location_id, scheduled_start);

CREATE TABLE instrument_responses (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    session_id uuid,
    instrument_id character varying(40) NOT NULL,
    instrument_version character varying(20) NOT NULL,
    answers text NOT NULL,
    total integer,
    severity_code character varying(40),
    severity_display character varying(100),
    flags character varying(200) NOT NULL,
    triage_level character varying(20),
    loinc_panel character varying(20),
    loinc_total character varying(20),
    taken_at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by character varying(450) NOT NULL,
    recorded_by_name character varying(256) NOT NULL,
    source character varying(20) NOT NULL,
    link_id uuid,
    CONSTRAINT pk_instrument_responses PRIMARY KEY (id),
    CONSTRAINT fk_instrument_responses_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_instrument_responses_patient_id_instrument_id_taken_at ON instrument_responses (patient_id, instrument_id, taken_at);

CREATE TABLE patient_links (
    id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    patient_id uuid NOT NULL,
    instrument_id character varying(40) NOT NULL,
    session_id uuid,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    created_by_name character varying(256) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    response_id uuid,
    revoked_at timestamp with time zone,
    sent_via character varying(20) NOT NULL,
    sent_to character varying(254),
    CONSTRAINT pk_patient_links PRIMARY KEY (id),
    CONSTRAINT fk_patient_links_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_patient_links_token_hash ON patient_links (token_hash);
CREATE INDEX ix_patient_links_patient_id_created_at ON patient_links (patient_id, created_at);

CREATE TABLE safety_alerts (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    kind character varying(40) NOT NULL,
    severity character varying(20) NOT NULL,
    message character varying(300) NOT NULL,
    response_id uuid,
    raised_at timestamp with time zone NOT NULL,
    acknowledged_at timestamp with time zone,
    acknowledged_by character varying(450),
    acknowledged_by_name character varying(256),
    action_taken character varying(40),
    note character varying(1000),
    CONSTRAINT pk_safety_alerts PRIMARY KEY (id),
    CONSTRAINT fk_safety_alerts_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_safety_alerts_patient_id_raised_at ON safety_alerts (patient_id, raised_at);
CREATE INDEX ix_safety_alerts_acknowledged_at ON safety_alerts (acknowledged_at);

CREATE TABLE course_outcomes (
    course_id uuid NOT NULL,
    instrument_id character varying(40) NOT NULL,
    patient_id uuid NOT NULL,
    location_id uuid NOT NULL,
    route character varying(30) NOT NULL,
    protocol_code character varying(40) NOT NULL,
    diagnosis_code character varying(8),
    course_started_at timestamp with time zone,
    status character varying(20) NOT NULL,
    baseline_total integer,
    latest_total integer,
    change_percent numeric(6,1),
    first_response_at timestamp with time zone,
    first_remission_at timestamp with time zone,
    relapse_at timestamp with time zone,
    sessions_to_response integer,
    days_to_relapse integer,
    assessments integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_course_outcomes PRIMARY KEY (course_id, instrument_id),
    CONSTRAINT fk_course_outcomes_treatment_courses_course_id FOREIGN KEY (course_id) REFERENCES treatment_courses (id) ON DELETE RESTRICT
);
CREATE INDEX ix_course_outcomes_instrument_id_course_started_at ON course_outcomes (instrument_id, course_started_at);
