-- Treatment plans and scheduling: clinic resources (opening hours, closures, chair closures, nurse shifts,
-- appointment types), treatment plans with versioned dose orders and phase decisions, booking columns on sessions,
-- iCalendar feeds, the reminder outbox and re-plan reports. Times of day are minutes after midnight, clinic time.

CREATE TABLE opening_hours (
    id uuid NOT NULL,
    location_id uuid NOT NULL,
    day_of_week integer NOT NULL,
    opens_minute integer NOT NULL,
    closes_minute integer NOT NULL,
    CONSTRAINT pk_opening_hours PRIMARY KEY (id),
    CONSTRAINT fk_opening_hours_locations_location_id FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT
);
CREATE INDEX ix_opening_hours_location_id_day_of_week ON opening_hours (location_id, day_of_week);

CREATE TABLE clinic_closures (
    id uuid NOT NULL,
    location_id uuid NOT NULL,
    day date NOT NULL,
    reason character varying(200) NOT NULL,
    CONSTRAINT pk_clinic_closures PRIMARY KEY (id),
    CONSTRAINT fk_clinic_closures_locations_location_id FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_clinic_closures_location_id_day ON clinic_closures (location_id, day);

CREATE TABLE chair_closures (
    id uuid NOT NULL,
    chair_id uuid NOT NULL,
    day date NOT NULL,
    from_minute integer NOT NULL,
    to_minute integer NOT NULL,
    reason character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    CONSTRAINT pk_chair_closures PRIMARY KEY (id),
    CONSTRAINT fk_chair_closures_chairs_chair_id FOREIGN KEY (chair_id) REFERENCES chairs (id) ON DELETE RESTRICT
);
CREATE INDEX ix_chair_closures_chair_id_day ON chair_closures (chair_id, day);

CREATE TABLE nurse_shifts (
    id uuid NOT NULL,
    location_id uuid NOT NULL,
    nurse_id character varying(450) NOT NULL,
    nurse_name character varying(100) NOT NULL,
    day date NOT NULL,
    start_minute integer NOT NULL,
    end_minute integer NOT NULL,
    CONSTRAINT pk_nurse_shifts PRIMARY KEY (id),
    CONSTRAINT fk_nurse_shifts_locations_location_id FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE RESTRICT
);
CREATE INDEX ix_nurse_shifts_location_id_day ON nurse_shifts (location_id, day);

CREATE TABLE appointment_types (
    id uuid NOT NULL,
    code character varying(40) NOT NULL,
    name character varying(100) NOT NULL,
    minutes integer NOT NULL,
    is_active boolean NOT NULL,
    CONSTRAINT pk_appointment_types PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_appointment_types_code ON appointment_types (code);

CREATE TABLE treatment_plans (
    id uuid NOT NULL,
    course_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    protocol_id character varying(60) NOT NULL,
    protocol_version character varying(20) NOT NULL,
    phase_id character varying(40) NOT NULL,
    planned_sessions integer NOT NULL,
    interval_days integer,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    created_by_name character varying(100) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_treatment_plans PRIMARY KEY (id),
    CONSTRAINT fk_treatment_plans_treatment_courses_course_id FOREIGN KEY (course_id) REFERENCES treatment_courses (id) ON DELETE RESTRICT,
    CONSTRAINT fk_treatment_plans_patients_patient_id FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_treatment_plans_course_id ON treatment_plans (course_id);
CREATE INDEX ix_treatment_plans_patient_id ON treatment_plans (patient_id);

CREATE TABLE dose_orders (
    id uuid NOT NULL,
    plan_id uuid NOT NULL,
    version integer NOT NULL,
    dose_basis character varying(20) NOT NULL,
    dose_value numeric(9,4) NOT NULL,
    ordered_at timestamp with time zone NOT NULL,
    ordered_by character varying(450) NOT NULL,
    ordered_by_name character varying(100) NOT NULL,
    reason character varying(500) NOT NULL,
    CONSTRAINT pk_dose_orders PRIMARY KEY (id),
    CONSTRAINT fk_dose_orders_treatment_plans_plan_id FOREIGN KEY (plan_id) REFERENCES treatment_plans (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_dose_orders_plan_id_version ON dose_orders (plan_id, version);

-- A dose order version is never edited or removed: a change is a new version.
CREATE FUNCTION dose_orders_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dose_orders is append-only';
END;
$$;

CREATE TRIGGER dose_orders_no_update BEFORE UPDATE OR DELETE ON dose_orders
FOR EACH ROW EXECUTE FUNCTION dose_orders_refuse_change();

CREATE TABLE plan_decisions (
    id uuid NOT NULL,
    plan_id uuid NOT NULL,
    proposal_kind character varying(40) NOT NULL,
    proposed_phase_id character varying(40) NOT NULL,
    proposed_interval_days integer,
    chosen_phase_id character varying(40) NOT NULL,
    chosen_interval_days integer,
    edited boolean NOT NULL,
    reason character varying(500),
    decided_at timestamp with time zone NOT NULL,
    decided_by character varying(450) NOT NULL,
    decided_by_name character varying(100) NOT NULL,
    CONSTRAINT pk_plan_decisions PRIMARY KEY (id),
    CONSTRAINT fk_plan_decisions_treatment_plans_plan_id FOREIGN KEY (plan_id) REFERENCES treatment_plans (id) ON DELETE RESTRICT
);
CREATE INDEX ix_plan_decisions_plan_id ON plan_decisions (plan_id);

ALTER TABLE treatment_sessions ADD COLUMN scheduled_end timestamp with time zone;
ALTER TABLE treatment_sessions ADD COLUMN plan_id uuid;
ALTER TABLE treatment_sessions ADD COLUMN phase_id character varying(40);
ALTER TABLE treatment_sessions ADD COLUMN series_id character varying(80);
ALTER TABLE treatment_sessions ADD COLUMN cancelled_at timestamp with time zone;
ALTER TABLE treatment_sessions ADD COLUMN cancelled_by character varying(450);
ALTER TABLE treatment_sessions ADD COLUMN cancel_reason character varying(500);
CREATE INDEX ix_treatment_sessions_chair_id_scheduled_start ON treatment_sessions (chair_id, scheduled_start);

CREATE TABLE calendar_feeds (
    id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    owner_kind character varying(20) NOT NULL,
    patient_id uuid,
    user_id character varying(450),
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT pk_calendar_feeds PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_calendar_feeds_token_hash ON calendar_feeds (token_hash);

CREATE TABLE reminder_outbox (
    id uuid NOT NULL,
    session_id uuid NOT NULL,
    patient_id uuid NOT NULL,
    channel character varying(10) NOT NULL,
    recipient character varying(254) NOT NULL,
    body character varying(2000) NOT NULL,
    due_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    status character varying(20) NOT NULL,
    sent_at timestamp with time zone,
    CONSTRAINT pk_reminder_outbox PRIMARY KEY (id),
    CONSTRAINT fk_reminder_outbox_treatment_sessions_session_id FOREIGN KEY (session_id) REFERENCES treatment_sessions (id) ON DELETE RESTRICT
);
CREATE INDEX ix_reminder_outbox_status_due_at ON reminder_outbox (status, due_at);
CREATE INDEX ix_reminder_outbox_session_id ON reminder_outbox (session_id);

CREATE TABLE replan_reports (
    id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    cause character varying(300) NOT NULL,
    moved_count integer NOT NULL,
    not_refitted_count integer NOT NULL,
    report text NOT NULL,
    CONSTRAINT pk_replan_reports PRIMARY KEY (id)
);
CREATE INDEX ix_replan_reports_created_at ON replan_reports (created_at);

CREATE TABLE waitlist_entries (
    id uuid NOT NULL,
    patient_id uuid NOT NULL,
    plan_id uuid NOT NULL,
    note character varying(500),
    created_at timestamp with time zone NOT NULL,
    created_by character varying(450) NOT NULL,
    status character varying(20) NOT NULL,
    offered_at timestamp with time zone,
    offered_slot character varying(200),
    CONSTRAINT pk_waitlist_entries PRIMARY KEY (id),
    CONSTRAINT fk_waitlist_entries_treatment_plans_plan_id FOREIGN KEY (plan_id) REFERENCES treatment_plans (id) ON DELETE RESTRICT
);
CREATE INDEX ix_waitlist_entries_status_created_at ON waitlist_entries (status, created_at);
