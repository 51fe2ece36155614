-- The HL7 intake looks up a batch of incoming control ids to find resent messages: one index on the control id finds
-- each in one probe (the sender and facility are then compared in memory).
CREATE INDEX "ix_hl7_inbound_messages_control_id" ON "hl7_inbound_messages" ("control_id");
