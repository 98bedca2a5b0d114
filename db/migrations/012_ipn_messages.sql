-- The SNS MessageIds of the IPNs each shop took in: a replay (the same MessageId) is answered 200 without signalling.
-- A row is claimed before its signal and done after it; a failed signal deletes its claim, so SNS's retry is not a
-- replay. Rows go after 14 days (db/ipn-messages.ts), far past the 4-hour Timestamp window that bounds a replay.
CREATE TABLE ipn_messages (
  shop_id     text        NOT NULL,
  message_id  text        NOT NULL,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  done_at     timestamptz,            -- null while its signal is in flight
  PRIMARY KEY (shop_id, message_id)
);
CREATE INDEX ipn_messages_claimed ON ipn_messages (claimed_at);
