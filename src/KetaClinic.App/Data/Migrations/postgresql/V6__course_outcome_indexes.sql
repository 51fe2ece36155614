-- The outcome dashboard reads most of course_outcomes at once: a full scan beats an index range scan with a row
-- lookup per course (measured on 100,000 courses on both providers). Recomputing one patient's outcomes finds
-- its rows by patient.
DROP INDEX ix_course_outcomes_instrument_id_course_started_at;
CREATE INDEX ix_course_outcomes_patient_id ON course_outcomes (patient_id);
