-- The chair workflow: every accepted command of a treatment session, in order (the session is rebuilt by replaying
-- them through the domain). treatment_sessions.status holds the workflow state for queries.

CREATE TABLE "session_events" (
    "session_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_name" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    CONSTRAINT "pk_session_events" PRIMARY KEY ("session_id", "sequence"),
    CONSTRAINT "fk_session_events_treatment_sessions_session_id" FOREIGN KEY ("session_id") REFERENCES "treatment_sessions" ("id") ON DELETE RESTRICT
);
CREATE INDEX "ix_treatment_sessions_status" ON "treatment_sessions" ("status");
