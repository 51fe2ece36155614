-- Every vital sign belongs to a session (manual entry and the HL7 intake both require one), and every reader finds
-- vital signs by session; a patient's values across visits are found through the patient's sessions. The index by
-- patient was written five times per monitor message (one more page per message at each commit) and read by
-- nothing. The foreign key to patients stays.
DROP INDEX "ix_vital_signs_patient_id_observed_at";
