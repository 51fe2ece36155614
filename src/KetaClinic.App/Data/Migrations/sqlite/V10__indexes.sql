-- One index for the HL7 resend check instead of two: unique on (control id, sender, facility), so a batch of control
-- ids is found by the leading column and a resend is still refused by the same rule. Each stored message then writes
-- one index entry fewer, and those entries are spread across the file (one page per monitor per commit).
DROP INDEX "ix_hl7_inbound_messages_sending_application_sending_facility_control_id";
DROP INDEX "ix_hl7_inbound_messages_control_id";
CREATE UNIQUE INDEX "ix_hl7_inbound_messages_resend" ON "hl7_inbound_messages" ("control_id", "sending_application", "sending_facility");

-- The waiting list's plan reference had no index (the model declares one for the foreign key).
CREATE INDEX "ix_waitlist_entries_plan_id" ON "waitlist_entries" ("plan_id");
