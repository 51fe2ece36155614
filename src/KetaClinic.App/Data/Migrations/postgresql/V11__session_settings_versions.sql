-- The clinical settings each session command was applied under, so a session is rebuilt under the settings in force
-- when each step was taken (not today's): one row per distinct settings text, named by its SHA-256.
CREATE TABLE session_settings_versions (
    id character varying(64) NOT NULL,
    settings text NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_session_settings_versions PRIMARY KEY (id)
);

-- Null for steps stored before settings were versioned: those are replayed under the current settings.
ALTER TABLE session_events ADD COLUMN settings_version character varying(64) NULL;
