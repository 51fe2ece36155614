-- The clinical settings each session command was applied under, so a session is rebuilt under the settings in force
-- when each step was taken (not today's): one row per distinct settings text, named by its SHA-256.
CREATE TABLE "session_settings_versions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_session_settings_versions" PRIMARY KEY,
    "settings" TEXT NOT NULL,
    "recorded_at" INTEGER NOT NULL
);

-- Null for steps stored before settings were versioned: those are replayed under the current settings.
ALTER TABLE "session_events" ADD COLUMN "settings_version" TEXT NULL;
