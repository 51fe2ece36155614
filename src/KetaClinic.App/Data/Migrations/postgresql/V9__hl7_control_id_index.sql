-- The HL7 intake looks up a batch of incoming control ids to find resent messages. With the three-column unique
-- index alone, PostgreSQL probes every combination of the batch's senders, facilities and control ids; one index on
-- the control id finds each in one probe (the sender and facility are then compared in memory).
CREATE INDEX ix_hl7_inbound_messages_control_id ON hl7_inbound_messages (control_id);
