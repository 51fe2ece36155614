-- The chair workflow: every accepted command of a treatment session, in order (the session is rebuilt by replaying
-- them through the domain). treatment_sessions.status holds the workflow state for queries.

ALTER TABLE treatment_sessions ALTER COLUMN status TYPE character varying(30);

CREATE TABLE session_events (
    session_id uuid NOT NULL,
    sequence integer NOT NULL,
    kind character varying(40) NOT NULL,
    payload text NOT NULL,
    actor_id character varying(450) NOT NULL,
    actor_name character varying(200) NOT NULL,
    actor_role character varying(20) NOT NULL,
    at timestamp with time zone NOT NULL,
    CONSTRAINT pk_session_events PRIMARY KEY (session_id, sequence),
    CONSTRAINT fk_session_events_treatment_sessions_session_id FOREIGN KEY (session_id) REFERENCES treatment_sessions (id) ON DELETE RESTRICT
);
CREATE INDEX ix_treatment_sessions_status ON treatment_sessions (status);
