-- From inquiry to informed consent: consultation requests (leads), booked consultations, pre-screening answers,
-- comprehensive evaluations with sign-off and addenda, and informed consents per route.

ALTER TABLE patient_links ADD COLUMN purpose character varying(20) NOT NULL DEFAULT 'instrument';

CREATE TABLE consultation_leads (
    id uuid NOT NULL,
    received_at timestamp with time zone NOT NULL,
    channel character varying(10) NOT NULL,
    given_name character varying(100) NOT NULL,
    family_name character varying(100) NOT NULL,
    phone character varying(32),
    email character varying(254),
    preferred_contact_times character varying(200),
    tried_so_far character varying(2000),
    heard_about character varying(200),
    status character varying(20) NOT NULL,
    decline_reason character varying(500),
    note character varying(1000),
    status_changed_at timestamp with time zone,
    status_changed_by_name character varying(256),
    entered_by character varying(450),
    entered_by_name character varying(256),
    patient_id uuid,
    consultation_id uuid,
    CONSTRAINT pk_consultation_leads PRIMARY KEY (id)
);
CREATE INDEX ix_consultation_leads_status_received_at ON consultation_leads (status, received_at);

CREATE TABLE consultation_appointments (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    lead_id uuid,
    starts_at timestamp with time zone NOT NULL,
    duration_minutes integer NOT NULL,
    mode character varying(20) NOT NULL,
    physician_id character varying(450) NOT NULL,
    physician_name character varying(256) NOT NULL,
    location_id uuid,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    created_by_name character varying(256) NOT NULL,
    CONSTRAINT pk_consultation_appointments PRIMARY KEY (id),
    CONSTRAINT fk_consultation_appointments_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_consultation_appointments_patient_id_starts_at ON consultation_appointments (patient_id, starts_at);
CREATE INDEX ix_consultation_appointments_physician_id_starts_at ON consultation_appointments (physician_id, starts_at);

CREATE TABLE pre_screening_submissions (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    link_id uuid NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    answers text NOT NULL,
    phq9_response_id uuid,
    gad7_response_id uuid,
    cssrs_response_id uuid,
    CONSTRAINT pk_pre_screening_submissions PRIMARY KEY (id),
    CONSTRAINT fk_pre_screening_submissions_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_pre_screening_submissions_patient_id_submitted_at ON pre_screening_submissions (patient_id, submitted_at);

CREATE TABLE clinical_evaluations (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    version integer NOT NULL,
    evaluated_on date NOT NULL,
    form text NOT NULL,
    pre_screening_id uuid,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    created_by_name character varying(256) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    support_decision character varying(20),
    final_decision character varying(20),
    sign_off_outcome character varying(20),
    sign_off_reason character varying(2000),
    signed_at timestamp with time zone,
    signed_by character varying(450),
    signed_by_name character varying(256),
    expires_on date,
    signed_assessment text,
    CONSTRAINT pk_clinical_evaluations PRIMARY KEY (id),
    CONSTRAINT fk_clinical_evaluations_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_clinical_evaluations_patient_id_created_at ON clinical_evaluations (patient_id, created_at);

CREATE TABLE evaluation_addenda (
    id uuid NOT NULL,
    evaluation_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    text character varying(4000) NOT NULL,
    author_id character varying(450) NOT NULL,
    author_name character varying(256) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_evaluation_addenda PRIMARY KEY (id),
    CONSTRAINT fk_evaluation_addenda_clinical_evaluations_evaluation_id FOREIGN KEY (evaluation_id) REFERENCES clinical_evaluations (id) ON DELETE RESTRICT
);
CREATE INDEX ix_evaluation_addenda_evaluation_id_created_at ON evaluation_addenda (evaluation_id, created_at);

-- Addenda are the record of later changes: never edited, never removed.
CREATE FUNCTION evaluation_addenda_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evaluation_addenda is append-only';
END;
$$;

CREATE TRIGGER evaluation_addenda_no_update BEFORE UPDATE OR DELETE ON evaluation_addenda
FOR EACH ROW EXECUTE FUNCTION evaluation_addenda_refuse_change();

CREATE TABLE consents (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    route character varying(30) NOT NULL,
    document_version character varying(40) NOT NULL,
    document_title character varying(200) NOT NULL,
    document_date date NOT NULL,
    document_hash character varying(64) NOT NULL,
    document_text text NOT NULL,
    status character varying(30) NOT NULL,
    patient_typed_name character varying(210) NOT NULL,
    patient_signature text NOT NULL,
    patient_signed_at timestamp with time zone NOT NULL,
    presented_by character varying(450) NOT NULL,
    presented_by_name character varying(256) NOT NULL,
    countersigned_at timestamp with time zone,
    countersigned_by character varying(450),
    countersigned_by_name character varying(256),
    rems_enrolment_id character varying(40),
    rems_enrolled_on date,
    withdrawn_at timestamp with time zone,
    withdrawn_by_name character varying(256),
    withdrawal_reason character varying(1000),
    CONSTRAINT pk_consents PRIMARY KEY (id),
    CONSTRAINT fk_consents_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE INDEX ix_consents_patient_id_route ON consents (patient_id, route);
