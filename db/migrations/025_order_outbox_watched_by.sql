-- The workflow that waits on a row's outcome (the cancellation saga, for its own row): the delivery tells it when the
-- row is delivered or failed, so the saga records the outcome at once instead of at its next poll.
ALTER TABLE order_outbox ADD COLUMN watched_by text;
